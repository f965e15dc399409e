"""The `regatlas` application: the command groups put together, and the one place errors become exit codes.

Exit codes: 0 done, 2 bad input (a message names the file, field or option and what is allowed), 3 a
prohibition applies (with --fail-on-prohibited), 4 an output could not be written, 5 a prohibition holds that
applies only later (with --fail-on-prohibited). docs/commands.md lists them all with the limits.

A run imports and registers only the group of the command it runs: typer builds the options of every
registered command on each run, and each group's module imports its own renderers, so `regatlas assess -f json`
pays for neither the tables of `rules list` nor the progress bars of `simulate`. Help, a bare `regatlas` and an
unknown command get every group, so the listing and "no such command" stay complete.
"""

from __future__ import annotations

import importlib
import sys

import typer

from .. import __version__
from ..errors import RegatlasError
from .common import load, report_problems
from .options import PackOption

GROUPS = (
    "assess",
    "compare",
    "report",
    "rules",
    "world",
    "simulate",
    "serve",
    "reassess",
    "database",
    "init",
    "evidence",
    "imports",
)
# The command -> the modules of regatlas.commands that register it (`audit` has commands in two of them).
COMMAND_GROUPS: dict[str, str | tuple[str, ...]] = {
    "assess": "assess",
    "explain": "assess",
    "compare": "compare",
    "landscape": "compare",
    "report": "report",
    "rules": "rules",
    "validate": "rules",
    "schema": "rules",
    "facts": "rules",
    "instruments": "world",
    "parties": "world",
    "jurisdiction": "world",
    "simulate": "simulate",
    "population": "simulate",
    "serve": "serve",
    "audit": ("serve", "database"),
    "reassess": "reassess",
    "db": "database",
    "init": "init",
    "evidence": "evidence",
    "import": "imports",
}


def version_cmd(pack_dir: PackOption = None) -> None:
    """Print the engine version and the pack revision."""
    print(f"regatlas {__version__}, pack revision {load(pack_dir).revision}")


def build(groups: tuple[str, ...] = GROUPS) -> typer.Typer:
    """The application with the commands of these groups (and `version`)."""
    application = typer.Typer(
        help="regatlas: AI regulation as code. Assess an AI-system profile against dated, cited rule packs.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for name in groups:
        importlib.import_module(f"{__package__}.{name}").register(application)
    # Last in the help; and always there, so a one-group app still has two commands (typer would run a lone
    # command without its name).
    application.command("version")(version_cmd)
    return application


def _groups_for(argv: list[str]) -> tuple[str, ...]:
    group = COMMAND_GROUPS.get(argv[0]) if argv else None
    if group is None:
        return GROUPS
    return (group,) if isinstance(group, str) else group


def main() -> None:
    try:
        build(_groups_for(sys.argv[1:]))()
    except RegatlasError as exc:
        report_problems(exc)
        sys.exit(exc.exit_code)
