"""`regatlas reassess`: bring every system of a service's database up to the law of a date and pack.

The same run as the service's own (regatlas.serve.followup): what changed per system, each transition in words.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .options import AsOfOption, Format, PackOption
from .serve import DbOption, _open, _unusable

ACTOR = "regatlas reassess"


def reassess_cmd(
    db: DbOption = "sqlite:///regatlas.db",
    as_of: AsOfOption = None,
    pack_dir: PackOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """Re-assess every system whose pack, answers or rule dates moved; print the transitions per system."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..serve.followup import reassess
    from .common import emit_json, load, one_of, parse_as_of

    one_of(format.value, ["text", "json"], "--format", "format")
    day = parse_as_of(as_of)
    pack = load(pack_dir)
    database = _open(db, migrate=False)
    try:
        database.migrate()  # an inventory made by an older `regatlas serve` gets the follow-up's tables
        summary = reassess(database, pack, day, ACTOR).json()
    except SQLAlchemyError as exc:
        raise _unusable(exc) from None
    finally:
        database.dispose()
    if format is Format.json:
        emit_json(summary)
        return
    for line in _lines(summary):
        print(line)


def _lines(summary: dict[str, Any]) -> list[str]:
    head = (
        f"re-assessed {summary['reassessed']} of {summary['checked']} systems as of {summary['as_of']} "
        f"(pack revision {summary['pack_revision']}): {summary['transitions']} transitions"
    )
    lines = [head]
    for system in summary["systems"]:
        title = f"system {system['system_id']} ({system['name']})"
        if system["skipped"]:
            lines.append(f"{title}: not re-assessed: {system['skipped']}")
            continue
        causes = ", ".join(system["causes"])
        lines.append(f"{title}: {causes}: {len(system['transitions'])} transitions")
        lines += [f"  {t['words']}" for t in system["transitions"]]
    return lines


def register(app: typer.Typer) -> None:
    app.command("reassess")(reassess_cmd)
