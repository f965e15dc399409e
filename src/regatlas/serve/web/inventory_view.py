"""The system list of the pages and its exports (CSV, JSON): the API's list with its filters (place, class,
instrument, owner: routes/systems.py, called as it is), joined with what each system's current status says
(serve/followup.py): its verdicts and classes (labels), its open findings and its next change date.

Two filters read the status and are applied here: "has open questions" (a finding of the status is unknown:
answers would settle it) and "changes within 90 days" (the status's next change date). A system without a status
yet (not assessed so far) is unknown on both, so it is listed by neither "yes" nor "no"; the page says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select

from ..auth import Principal
from ..context import Service
from ..followup import status_json
from ..labels import RISK_CLASS, VERDICT
from ..models import System, SystemLabel, SystemStatus
from ..pagination import MAX_LIMIT, PageParams
from ..routes.systems import list_systems

SOON_DAYS = 90
YesNo = Literal["yes", "no"]
CSV_COLUMNS = (
    "id", "name", "owner", "lifecycle", "places", "roles", "models", "vendors", "verdicts", "classes",
    "open_findings", "next_change", "status_as_of",
)  # fmt: skip


@dataclass(frozen=True)
class Filters:
    """The list's filters as the page's form gives them (an empty field is no filter)."""

    place: str | None = None
    risk_class: str | None = None
    instrument: str | None = None
    owner: str | None = None
    open_questions: YesNo | None = None
    changes_soon: YesNo | None = None

    def query(self) -> dict[str, str]:
        """The filters as the page's query string (to link the exports to the same list)."""
        names = {"risk_class": "class"}
        return {names.get(k, k): v for k, v in self.__dict__.items() if v}


@dataclass
class Row:
    system: dict[str, Any]
    status: dict[str, Any] | None
    verdicts: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)

    @property
    def open_findings(self) -> int | None:
        """Findings of the status that are unknown (open questions decide them); None: no status yet."""
        if self.status is None:
            return None
        return sum(1 for value in self.status["findings"].values() if value == "unknown")

    def changes_within(self, today: dt.date, days: int) -> bool | None:
        if self.status is None:
            return None
        upcoming = self.status["next_change"]
        return upcoming is not None and upcoming <= (today + dt.timedelta(days=days)).isoformat()

    def json(self, today: dt.date) -> dict[str, Any]:
        return {
            **self.system,
            "verdicts": self.verdicts,
            "classes": self.classes,
            "open_findings": self.open_findings,
            "next_change": self.status["next_change"] if self.status else None,
            "changes_within_90_days": self.changes_within(today, SOON_DAYS),
            "status_as_of": self.status["as_of"] if self.status else None,
        }


def _api_systems(svc: Service, who: Principal, filters: Filters) -> list[dict[str, Any]]:
    """Every system the API's list gives for these filters (all its pages)."""
    items: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        got = list_systems(
            who,
            svc,
            PageParams(limit=MAX_LIMIT, offset=offset),
            owner=filters.owner,
            place=filters.place,
            risk_class=filters.risk_class,
            instrument=filters.instrument,
        )
        items += got["items"]
        offset = got["next_offset"]
    return items


def _rows(svc: Service, systems: list[dict[str, Any]]) -> list[Row]:
    ids = [s["id"] for s in systems]
    with svc.database.read() as session:
        statuses = {
            s.system_id: status_json(s)
            for s in session.scalars(select(SystemStatus).where(SystemStatus.system_id.in_(ids)))
        }
        labels = session.execute(
            select(SystemLabel.system_id, SystemLabel.kind, SystemLabel.value).where(SystemLabel.system_id.in_(ids))
        ).all()
    rows = {s["id"]: Row(s, statuses.get(s["id"])) for s in systems}
    for system_id, kind, value in sorted(labels):
        if kind == VERDICT:
            rows[system_id].verdicts.append(value)
        elif kind == RISK_CLASS:
            rows[system_id].classes.append(value)
    return list(rows.values())


def _kept(row: Row, filters: Filters, today: dt.date) -> bool:
    checks = (
        (filters.open_questions, None if row.open_findings is None else row.open_findings > 0),
        (filters.changes_soon, row.changes_within(today, SOON_DAYS)),
    )
    return all(wanted is None or (known is not None and known == (wanted == "yes")) for wanted, known in checks)


def inventory(svc: Service, who: Principal, filters: Filters, today: dt.date) -> list[Row]:
    """The systems the filters keep, oldest first, each with what its status says."""
    return [row for row in _rows(svc, _api_systems(svc, who, filters)) if _kept(row, filters, today)]


def choices(svc: Service) -> dict[str, list[str]]:
    """What the filter form offers: the owners and risk classes the inventory holds, the pack's instruments."""
    with svc.database.read() as session:
        owners = session.scalars(select(System.owner).where(System.archived.is_(False)).distinct()).all()
        classes = session.scalars(select(SystemLabel.value).where(SystemLabel.kind == RISK_CLASS).distinct()).all()
    instruments = sorted(svc.pack.instruments.items(), key=lambda item: item[1].meta.instrument.short_title.lower())
    return {
        "owners": sorted(owners),
        "classes": sorted(classes),
        "instruments": [(key, inst.meta.instrument.short_title) for key, inst in instruments],
    }


def as_json(rows: list[Row], filters: Filters, today: dt.date) -> str:
    items = [row.json(today) for row in rows]
    return json.dumps({"as_of": today.isoformat(), "filters": filters.query(), "items": items, "total": len(items)})


def _cell(value: Any) -> str:
    """A CSV cell: lists joined with '; ', and text a spreadsheet would run as a formula made inert (OWASP)."""
    if isinstance(value, list):
        value = "; ".join(v["name"] if isinstance(v, dict) else str(v) for v in value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(rows: list[Row], today: dt.date) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        data = row.json(today)
        writer.writerow([_cell(data[column]) for column in CSV_COLUMNS])
    return out.getvalue()
