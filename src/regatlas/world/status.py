"""Plain-language status of an instrument on a date, and what its binding force means."""

from __future__ import annotations

import datetime as dt

from ..rules.model import ENDING_EVENTS, Instrument

NEVER_IN_FORCE = ("declaration", "soft_law", "voluntary_commitment")
FORCE_LABEL = {
    "binding_law": "binding law",
    "executive_policy": "executive policy: binds the administration, not private parties",
    "soft_law": "soft law: non-binding guidance",
    "voluntary_commitment": "voluntary commitment",
    "declaration": "political declaration: non-binding",
    "bill": "bill: not law",
}


# Every status an instrument can have on a date (Instrument.status_on), for filters that must refuse a misspelling.
STATUSES = ("in_force", "adopted", "pending", "not_yet_adopted", "stayed", *ENDING_EVENTS)


def force_label(binding_force: str) -> str:
    return FORCE_LABEL.get(binding_force, binding_force.replace("_", " "))


def _entry(meta: Instrument) -> dt.date | None:
    dates = [e.date for e in meta.status if e.event == "entry_into_force"]
    return min(dates) if dates else meta.entry_into_force


def describe_status(meta: Instrument, day: dt.date) -> str:
    """E.g. 'in force since 2024-08-01', 'repealed on 2026-05-14 (SB 26-189)', 'adopted; in force from 2027-01-01'."""
    state = meta.status_on(day)
    past = sorted((e for e in meta.status if e.date <= day), key=lambda e: e.date)
    upcoming = sorted(
        (e for e in meta.status if e.date > day and e.event in ("entry_into_force", "applies")), key=lambda e: e.date
    )
    if state in ENDING_EVENTS:
        event = next(e for e in reversed(past) if e.event == state)
        return f"{state} on {event.date}" + (f" ({event.act})" if event.act else "")
    if state == "stayed":
        return f"stayed since {past[-1].date}" + (f": {past[-1].note}" if past[-1].note else "")
    entry = _entry(meta)
    if state == "in_force":
        text = f"in force since {entry}" if entry else "in force"
        if upcoming:
            text += f"; next phase {upcoming[0].date}"
        return text
    if state == "adopted":
        adopted = next(
            (e.date for e in past if e.event in ("adopted", "signed", "published", "opened_for_signature")),
            meta.adopted,
        )
        if meta.binding_force in NEVER_IN_FORCE:
            return f"adopted {adopted} (non-binding: never enters into force)"
        nxt = f"; in force from {upcoming[0].date}" if upcoming else "; not in force"
        return f"adopted {adopted}{nxt}"
    if state == "pending":
        return f"pending since {past[0].date} (last step: {past[-1].event.replace('_', ' ')} {past[-1].date})"
    first = min((e.date for e in meta.status), default=None)
    return f"not yet adopted on {day}" + (f" (first step {first})" if first else "")
