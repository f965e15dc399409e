"""What a system's findings come to on a date, on which dates the law can change them, and what changes then.

A finding's value here answers "does it apply to the system on that date?": the Kleene "and" of its outcome and
of its being in effect (a ban that holds but applies only from 2 Dec 2026 does not apply on 1 Dec; one whose
start date the profile leaves open is unknown). Definitions and moot exceptions are left out, as in the
assessment's summary. Everything is read from the assessment JSON (`regatlas.assessment/1`), so a stored
assessment of an older pack revision compares with a fresh one by the same definition.

The dates on which a system's findings can change come from the pack (each rule version's first day and the day
after its last, parameter values' periods, the instruments' dated status events) and from the assessment (each
finding's `applies_from`, which may depend on the profile). Stepping through those dates, assessing at each and
comparing, gives what changes on each: the calendar, and the transitions a catch-up re-assessment records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..engine.assess import assess
from ..engine.kleene import and_, outcome
from ..facts.profile import Profile
from ..report.json_report import assessment_json
from ..rules.pack import LoadedInstrument, Pack

MAX_STEPS = 200  # dates assessed in one walk through the calendar: the pack has a few dozen per instrument
_BOOL = {"yes": True, "no": False, "unknown": None}
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class State:
    """One finding on one date: its value (yes/no/unknown: does it apply) and how to name it."""

    value: str
    instrument: str  # the instrument's id
    provision: str  # the pack's citation, e.g. "Art. 5(1)(ba/bb)"
    label: str  # "EU AI Act Art. 5(1)(ba/bb) (prohibition, provider)"

    def json(self) -> dict[str, str]:
        return {"value": self.value, "instrument": self.instrument, "provision": self.provision, "label": self.label}


@dataclass(frozen=True)
class Change:
    """A finding whose value differs between two states; None: the finding is not part of that state."""

    finding: str
    instrument: str
    provision: str
    label: str
    old: str | None
    new: str | None

    def json(self) -> dict[str, Any]:
        return {
            "finding": self.finding,
            "instrument": self.instrument,
            "provision": self.provision,
            "label": self.label,
            "old": self.old,
            "new": self.new,
        }


def applies(finding: dict[str, Any]) -> str:
    """yes/no/unknown: the finding holds and is in effect on the assessment's date."""
    return outcome(and_([_BOOL[finding["outcome"]], finding["in_effect"]]))


def _label(finding: dict[str, Any], titles: dict[str, str]) -> str:
    instrument = titles.get(finding["instrument"], finding["instrument"])
    what = ", ".join([finding["kind"], *finding.get("addressee", [])])
    return f"{instrument} {finding['citation']['label']} ({what})"


def states(result: dict[str, Any]) -> dict[str, State]:
    """The findings of an assessment JSON that a summary shows, each with its value on the assessment's date."""
    titles = {iid: summary["title"] for iid, summary in result["summary"].items()}
    return {
        f["id"]: State(applies(f), f["instrument"], f["citation"]["label"], _label(f, titles))
        for f in result["findings"]
        if f["kind"] != "definition" and not f.get("moot")
    }


def states_from_json(data: dict[str, dict[str, str]]) -> dict[str, State]:
    return {key: State(**value) for key, value in data.items()}


def compare(old: dict[str, State], new: dict[str, State]) -> list[Change]:
    """Every finding whose value differs (or that appears or goes), in finding order."""
    out = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before is not None and after is not None and before.value == after.value:
            continue
        named = after if after is not None else before
        old_value = None if before is None else before.value
        new_value = None if after is None else after.value
        out.append(Change(key, named.instrument, named.provision, named.label, old_value, new_value))
    return out


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """What a status adds up to: instruments touched, bans in effect, classifications that hold or are open."""
    instruments = result["summary"]
    return {
        "instruments": sorted(instruments),
        "prohibited": sorted(key for s in instruments.values() for key in s["prohibited"]),
        "classes": {
            key: value
            for s in instruments.values()
            for key, value in sorted(s["classifications"].items())
            if value != "no"
        },
    }


def _after(day: dt.date | None) -> list[dt.date]:
    return [day + _DAY] if day is not None else []


def _literal_date(text: str) -> list[dt.date]:
    try:
        return [dt.date.fromisoformat(text)]
    except ValueError:
        return []  # an expression: its value is the finding's applies_from, read from the assessment


@lru_cache(maxsize=256)
def instrument_dates(instrument: LoadedInstrument) -> frozenset[dt.date]:
    """Every date on which something in the instrument starts or stops: rule versions, parameters, status."""
    dates: set[dt.date] = set()
    for rule in instrument.rules.values():
        for compiled in rule.versions:
            version = compiled.version
            dates |= {version.valid_from, *_after(version.valid_to), *_literal_date(version.applies_from)}
    for parameter in instrument.meta.parameters:
        for value in parameter.values:
            dates |= {value.valid_from, *_after(value.valid_to)}
    dates |= {event.date for event in instrument.meta.instrument.status}
    return frozenset(dates)


def change_dates(pack: Pack, result: dict[str, Any]) -> list[dt.date]:
    """The dates after the assessment's on which any of the system's findings can change, in order."""
    day = dt.date.fromisoformat(result["as_of"])
    dates: set[dt.date] = set()
    for iid in result["summary"]:
        if iid in pack.instruments:
            dates |= instrument_dates(pack.instruments[iid])
    dates |= {dt.date.fromisoformat(f["applies_from"]) for f in result["findings"] if f["applies_from"]}
    return sorted(d for d in dates if d > day)


def assessed(pack: Pack, profile: Profile, day: dt.date) -> dict[str, Any]:
    """The assessment JSON of a profile on a date (without traces)."""
    return assessment_json(assess(pack, profile, day))


@dataclass
class Step:
    """A date on which something changes, the changes, and the assessment on that date."""

    day: dt.date
    changes: list[Change]
    result: dict[str, Any]


def walk(pack: Pack, profile: Profile, start: dict[str, Any], until: dt.date | None) -> list[Step]:
    """From an assessment on, every later change date up to `until` (all of them when None) with what changes.

    Dates come from each assessment in turn, so a date that only a later rule version brings is found too."""
    steps: list[Step] = []
    current, known = start, states(start)
    pending = set(change_dates(pack, start))
    for _ in range(MAX_STEPS):
        if not pending:
            break
        day = min(pending)
        if until is not None and day > until:
            break
        pending.discard(day)
        result = assessed(pack, profile, day)
        after = states(result)
        changes = compare(known, after)
        if changes:
            steps.append(Step(day, changes, result))
        current, known = result, after
        pending |= set(change_dates(pack, current))
    return steps


def next_change(pack: Pack, result: dict[str, Any]) -> dt.date | None:
    dates = change_dates(pack, result)
    return dates[0] if dates else None


def day_words(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


_PHRASES = {
    ("no", "yes"): "now applies",
    ("unknown", "yes"): "now applies (was unknown)",
    ("yes", "no"): "no longer applies",
    ("unknown", "no"): "does not apply (was unknown)",
    ("no", "unknown"): "may now apply (unknown: open questions decide)",
    ("yes", "unknown"): "may no longer apply (unknown: open questions decide)",
}
_NEW = {"yes": "applies", "no": "does not apply", "unknown": "unknown whether it applies"}
_GONE = {"yes": "it applied", "no": "it did not apply", "unknown": "it was unknown"}


def phrase(old: str | None, new: str | None) -> str:
    if old is None:
        return f"newly assessed: {_NEW[new or 'unknown']}"
    if new is None:
        return f"no longer assessed ({_GONE[old]})"
    return _PHRASES[(old, new)]


def words(cause: str, day: dt.date, change: Change, old_revision: str | None, new_revision: str) -> str:
    """The transition in words: "since 2 Dec 2026: EU AI Act Art. 5(1)(ba/bb) (prohibition, provider) now applies"."""
    when = {
        "date": f"since {day_words(day)}",
        "pack": f"with pack revision {new_revision[:8]} (was {(old_revision or '?')[:8]}), on {day_words(day)}",
        "answers": f"after the answers given, on {day_words(day)}",
    }[cause]
    return f"{when}: {change.label} {phrase(change.old, change.new)}"
