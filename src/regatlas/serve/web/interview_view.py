"""What the browser interview shows: the next question of the interview (engine/interview.py) for a system's
current profile, with its controls, help and reasons, and beside it the assessment so far, per jurisdiction: the
verdict, bans, classes, duties by role with their dates, and what is still open.

The interview's own state travels in the page's URL and hidden fields, never in the database: the facts the user
said "I don't know" to (`skipped`, so they are not asked again in this interview) and the facts answered or skipped
in this interview, in order (`trail`, so Back can return to the last one). Answers themselves are stored as the
system's answer events, through the API's own route.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from ...engine.assess import Assessment, Finding
from ...engine.interview import Question, Step, answer_words, choices, question_for, step
from ...facts.profile import Profile, encode_value
from ...report.sections import role_heading, sections, when_text
from ...report.verdict import verdict
from ...report.verdict_text import label, next_text, reason
from ...rules.pack import Pack
from ..analysis import dated, system_profile
from ..context import Service
from ..inventory import etag, get_system
from ..problems import ApiProblem, FieldError

MAX_FACTS = 1000  # ids in `skipped` or `trail`: more than the vocabulary holds, so a real interview never reaches it
REASONS_SHOWN = 25  # findings listed under "why am I asked" before "and N more"


@dataclass(frozen=True)
class State:
    """The interview's own state: the facts skipped, the facts answered or skipped in order, a fact asked again."""

    skipped: tuple[str, ...] = ()
    trail: tuple[str, ...] = ()
    fact: str | None = None

    def url(self, system_id: int, **change: Any) -> str:
        """The interview page's address for this state (with `change` applied: skipped, trail, fact)."""
        values = {"skipped": self.skipped, "trail": self.trail, "fact": self.fact, **change}
        query = {"skipped": ",".join(values["skipped"]), "trail": ",".join(values["trail"])}
        if values["fact"]:
            query["fact"] = values["fact"]
        shown = {k: v for k, v in query.items() if v}
        return f"/ui/systems/{system_id}/interview" + (f"?{urlencode(shown, safe=',')}" if shown else "")

    def back_url(self, system_id: int) -> str | None:
        """Back: the last fact answered or skipped, asked again (no longer skipped)."""
        if not self.trail:
            return None
        last = self.trail[-1]
        skipped = tuple(f for f in self.skipped if f != last)
        return self.url(system_id, skipped=skipped, trail=self.trail[:-1], fact=last)


def read_state(pack: Pack, skipped: str, trail: str, fact: str | None, where: str) -> State:
    """The state from the query or the form; an id the vocabulary does not know is a 422 naming the field."""

    def ids(text: str, name: str) -> tuple[str, ...]:
        listed = tuple(dict.fromkeys(i for i in text.split(",") if i))  # each once, in order
        unknown = [i for i in listed if i not in pack.vocabulary]
        if unknown or len(listed) > MAX_FACTS:
            message = f"unknown fact {unknown[0]!r}" if unknown else f"at most {MAX_FACTS} facts"
            raise ApiProblem(
                422, "the interview's state is not valid", [FieldError(field=f"{where}.{name}", message=message)]
            )
        return listed

    asked = ids(fact or "", "fact")
    return State(ids(skipped, "skipped"), ids(trail, "trail"), asked[0] if asked else None)


@dataclass
class Row:
    """A finding of the assessment panel."""

    key: str
    citation: str
    url: str
    title: str
    outcome: str
    when: str
    missing: list[str]


@dataclass
class Place:
    """One jurisdiction of the assessment panel: its verdict, then its findings grouped as the report groups them."""

    code: str
    name: str
    category: str
    label: str
    reason: str
    next_change: str | None
    open_findings: int
    settle_with: tuple[str, ...]
    groups: list[tuple[str, str, list[Row]]] = field(default_factory=list)  # (instrument, heading, rows)


def _row(f: Finding, as_of: dt.date) -> Row:
    return Row(f.key, f.citation, f.url, f.title, f.outcome, when_text(f, as_of), f.missing)


def assessment_panel(assessment: Assessment) -> list[Place]:
    """Per jurisdiction, the verdict and the scope, bans, classes and duties by role that hold or are open."""
    places = {
        j.jurisdiction: Place(
            j.jurisdiction, j.name, j.category, label(j), reason(j), next_text(j), j.open_findings, j.settle_with
        )
        for j in verdict(assessment).jurisdictions
    }
    for section in sections(assessment):
        place = places.get(section.jurisdiction)
        if place is None:
            continue
        groups = [("Scope", section.scope), ("Prohibited practices", section.prohibitions)]
        groups += [("Classification", section.classifications)]
        groups += [(role_heading(role, assessment), duties) for role, duties in section.duties_by_role.items()]
        for heading, findings in groups:
            if findings:
                place.groups.append((section.title, heading, [_row(f, assessment.as_of) for f in findings]))
    return list(places.values())


@dataclass
class Control:
    """The form controls of a question: radios, checkboxes or a text field, with what is chosen already."""

    kind: str  # radio | checkbox | date | text
    options: list[tuple[str, str, bool]]  # (value, label, checked)
    text: str  # the text field's value
    hint: str


def control(question: Question, profile: Profile, typed: list[str] | None) -> Control:
    """The controls for the question, showing what was typed (after a refusal) or the current answer (when editing)."""
    fact = question.fact
    current = encode_value(profile.facts[fact.id]) if fact.id in profile.facts else None
    if typed is not None:
        chosen = set(typed)
    elif isinstance(current, bool):
        chosen = {"true" if current else "false"}
    elif isinstance(current, list):
        chosen = {str(v) for v in current}
    else:
        chosen = {str(current)} if current is not None else set()
    if fact.type in ("bool", "enum", "set"):
        kind = "checkbox" if fact.type == "set" else "radio"
        options = [(c.value, c.label, c.value in chosen) for c in choices(fact)]
        hint = "tick every one that applies; none ticked means none of these" if kind == "checkbox" else ""
        return Control(kind, options, "", hint)
    text = typed[0] if typed else (answer_words(profile.facts[fact.id]) if current is not None else "")
    hints = {
        "date": "a date",
        "number": "a number" + (f" in {fact.unit}" if fact.unit else "") + ", e.g. 38000000 or 3.2e25",
        "jurisdictions": "codes separated by commas: ISO 3166 (DE, US), subdivisions (US-CA), EU, US-NY-NYC; "
        "none for no place",
    }
    return Control("date" if fact.type == "date" else "text", [], text, hints[fact.type])


def interview_page(
    svc: Service,
    system_id: int,
    today: dt.date,
    state: State,
    errors: list[str] | None = None,
    typed: list[str] | None = None,
) -> dict[str, Any]:
    """Everything the interview page (or its htmx fragment) shows, as template variables."""
    with svc.database.read() as session:
        system = get_system(session, system_id)
        name, tag = system.name, etag(system)
    profile = system_profile(svc, system_id)
    with dated("query.as_of", "answers", 409):
        current: Step = step(svc.pack, profile, today, frozenset(state.skipped))
        question = question_for(svc.pack, current.ranking, state.fact) if state.fact else current.question
    return {
        "system_id": system_id,
        "system_name": name,
        "etag": tag,
        "as_of": today.isoformat(),
        "state": state,
        "back_url": state.back_url(system_id),
        "question": question,
        "control": control(question, profile, typed) if question else None,
        "reasons": question.reasons[:REASONS_SHOWN] if question else (),
        "more_reasons": max(0, len(question.reasons) - REASONS_SHOWN) if question else 0,
        "errors": errors or [],
        "answered": sorted(profile.facts),
        "answered_count": len(profile.facts),
        "open_findings": current.open_findings,
        "places": assessment_panel(current.assessment),
        "self_url": state.url(system_id),
        # facts skipped in this interview, each with the address that asks it again
        "skipped_links": [
            (f, state.url(system_id, skipped=tuple(s for s in state.skipped if s != f), fact=f)) for f in state.skipped
        ],
    }
