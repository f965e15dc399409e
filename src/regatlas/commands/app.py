"""The `regatlas` application: the command groups put together, and the one place errors become exit codes.

Exit codes: 0 done, 2 bad input (a message names the file, field or option and what is allowed), 3 a
prohibition applies (with --fail-on-prohibited). docs/commands.md lists them all with the limits.
"""

from __future__ import annotations

import sys
from types import ModuleType

import typer
from rich.text import Text

from ..errors import RegatlasError
from . import assess, compare, report, rules, simulate, world
from .common import err
from .rules import rules_app

GROUPS: tuple[ModuleType, ...] = (assess, compare, report, rules, world, simulate)
# Which group holds each command name typed first on the command line (see `_group_of`).
COMMAND_GROUPS = {
    "assess": assess,
    "explain": assess,
    "compare": compare,
    "landscape": compare,
    "report": report,
    "rules": rules,
    "validate": rules,
    "schema": rules,
    "facts": rules,
    "instruments": world,
    "parties": world,
    "jurisdiction": world,
    "simulate": simulate,
    "population": simulate,
}


def build(groups: tuple[ModuleType, ...] = GROUPS) -> typer.Typer:
    application = typer.Typer(
        help="regatlas: AI regulation as code. Assess an AI-system profile against dated, cited rule packs.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for group in groups:
        group.register(application)
    # Last in the help; and always there, so even a one-group app has two commands (typer would run a lone
    # command without its name).
    application.command("version")(rules.version_cmd)
    return application


app = build()

__all__ = ["app", "build", "main", "rules_app"]


def _group_of(argv: list[str]) -> tuple[ModuleType, ...]:
    """Only the group of the command being run: typer builds the options of every registered command on each
    run (about 60 ms for all of them), so a run registers just the one it needs. Help, a bare `regatlas` and
    an unknown command get every group, so the listing and "no such command" stay complete."""
    group = COMMAND_GROUPS.get(argv[0]) if argv else None
    return (group,) if group is not None else GROUPS


def main() -> None:
    try:
        build(_group_of(sys.argv[1:]))()
    except RegatlasError as exc:
        for problem in exc.problems:
            err.print(Text("error: ", style="bold red") + Text(problem.render()))
        sys.exit(exc.exit_code)
