"""The `regatlas` application: the command groups put together, and the one place errors become exit codes.

Exit codes: 0 done, 2 bad input (a message names the file, field or option and what is allowed), 3 a
prohibition applies (with --fail-on-prohibited). docs/commands.md lists them all with the limits.
"""

from __future__ import annotations

import sys

import typer
from rich.text import Text

from ..errors import RegatlasError
from . import assess, compare, report, rules, simulate, world
from .common import err
from .rules import rules_app

app = typer.Typer(
    help="regatlas: AI regulation as code. Assess an AI-system profile against dated, cited rule packs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for group in (assess, compare, report, rules, world, simulate):
    group.register(app)
app.command("version")(rules.version_cmd)  # last in the help

__all__ = ["app", "main", "rules_app"]


def main() -> None:
    try:
        app()
    except RegatlasError as exc:
        for problem in exc.problems:
            err.print(Text("error: ", style="bold red") + Text(problem.render()))
        sys.exit(exc.exit_code)
