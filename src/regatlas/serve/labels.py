"""What a system's status says about it, as rows the system list can filter on: the instruments that reach it,
the risk classes that hold and the verdict per jurisdiction (`GET /v1/systems?class=high-risk`).

The labels are derived from the status's assessment (regatlas.report.verdict's block and the per-instrument
summary) and rewritten with it, so they always say what the last status said, on its date.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from .models import System, SystemLabel

INSTRUMENT, RISK_CLASS, VERDICT = "instrument", "class", "verdict"
REACHED = ("yes", "partial")  # an instrument whose scope is unknown does not (yet) reach the system


def labels(result: dict[str, Any]) -> set[tuple[str, str]]:
    """(kind, value) pairs of one assessment's JSON."""
    found = {(INSTRUMENT, key) for key, instrument in result["summary"].items() if instrument["in_scope"] in REACHED}
    for place in result["verdict"]["jurisdictions"]:
        found.add((VERDICT, place["verdict"]))
        found |= {(RISK_CLASS, name) for name in place["risk_classes"]}
    return found


def relabel(session: Session, system_id: int, result: dict[str, Any]) -> None:
    """Replace the system's labels with those of its new status (in the caller's transaction)."""
    session.execute(delete(SystemLabel).where(SystemLabel.system_id == system_id))
    session.add_all(SystemLabel(system_id=system_id, kind=kind, value=value) for kind, value in labels(result))


def labelled(query: Select, kind: str, value: str) -> Select:
    """The query narrowed to systems whose status carries the label."""
    holders = select(SystemLabel.system_id).where(SystemLabel.kind == kind, SystemLabel.value == value)
    return query.where(System.id.in_(holders))
