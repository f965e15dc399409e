"""What one system's page shows, gathered from the service's own functions: the system and its ETag
(serve/inventory.py), its profile with who gave each answer, when and why (the answer events), its status and the
transitions recorded (serve/followup.py), its assessment today with the verdict first (serve/analysis.py and the
report's own HTML builders, so the page and the report say the same), and, loaded after the page (htmx, they
take seconds), the comparison across jurisdictions with its pictures and the calendar of upcoming changes.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ...compare.landscape import landscape
from ...report.html import MAP_INSTRUMENT, assessment_html, comparison_html, verdict_html
from ...report.html_figures import pictures_of
from ..analysis import assessed, comparison, system_profile
from ..auth import Principal
from ..context import Service
from ..followup import status_json, transition_json
from ..inventory import etag, event_json, get_system, system_json
from ..models import AnswerEvent, SystemStatus, Transition
from ..problems import ApiProblem
from ..routes.calendar import system_calendar

TRANSITIONS_SHOWN = 200  # the newest; the API pages through all of them


@dataclass
class Answer:
    """A fact of the current profile and the answer event that gave its value."""

    fact: str
    value: Any
    actor: str
    at: str
    justification: str

    @property
    def shown(self) -> str:
        return ", ".join(map(str, self.value)) if isinstance(self.value, list) else json.dumps(self.value)

    @property
    def author(self) -> str:
        """The token's name ("token:3:alice" -> "alice"), as people know it."""
        return self.actor.split(":", 2)[-1]


def _answers(events: list[dict[str, Any]]) -> list[Answer]:
    """The profile as the last event of each fact (a fact made unknown again is not in it)."""
    last: dict[str, dict[str, Any]] = {}
    for event in events:
        last[event["fact"]] = event
    return [
        Answer(fact, e["new_value"], e["actor"], e["at"], e["justification"])
        for fact, e in sorted(last.items())
        if e["new_value"] is not None
    ]


def system_page(svc: Service, system_id: int, today: dt.date) -> dict[str, Any]:
    """Everything the system's page shows but the slow parts (comparison, calendar), as template variables."""
    with svc.database.read() as session:
        system = get_system(session, system_id)
        shown, tag = system_json(session, system), etag(system)
        events = [
            event_json(e)
            for e in session.scalars(
                select(AnswerEvent).where(AnswerEvent.system_id == system_id).order_by(AnswerEvent.id)
            )
        ]
        status = session.get(SystemStatus, system_id)
        transitions = session.scalars(
            select(Transition)
            .where(Transition.system_id == system_id)
            .order_by(Transition.id.desc())
            .limit(TRANSITIONS_SHOWN)
        ).all()
    return {
        "system": shown,
        "etag": tag,
        "answers": _answers(events),
        "events": events,
        "system_status": status_json(status) if status else None,
        "transitions": [transition_json(t) for t in transitions],
        **_assessment(svc, system_id, today),
    }


def _assessment(svc: Service, system_id: int, today: dt.date) -> dict[str, Any]:
    """The verdict and the assessment by jurisdiction as the report writes them; a profile that cannot be
    assessed (stored answers the vocabulary no longer accepts: 409) is shown as that problem instead."""
    try:
        assessment = assessed(svc.pack, system_profile(svc, system_id), today, "query.as_of")
    except ApiProblem as exc:
        return {"assessment_problem": exc, "verdict_html": "", "assessment_html": "", "as_of": today.isoformat()}
    return {
        "assessment_problem": None,
        "verdict_html": verdict_html(assessment),
        "assessment_html": assessment_html(assessment),
        "as_of": today.isoformat(),
    }


def comparison_part(svc: Service, system_id: int, today: dt.date) -> dict[str, Any]:
    """The comparison across jurisdictions as the report writes it, and its pictures (inline SVG, each with the
    caption that is also its text alternative)."""
    compared = comparison(svc.pack, system_profile(svc, system_id), today, "query.as_of")
    figures, _files = pictures_of(svc.pack, compared, landscape(svc.pack, today), Path("pictures"), MAP_INSTRUMENT)
    return {"comparison_html": comparison_html(compared), "figures": figures}


def calendar_part(svc: Service, who: Principal, system_id: int) -> dict[str, Any]:
    """The dates ahead on which the law changes a finding of the system (the API's calendar, today on)."""
    return system_calendar(system_id, who, svc)
