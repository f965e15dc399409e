"""Assessments that follow the law: each system's current status, kept up to date, and the transitions between.

A system's status is its assessment as of a date (the findings' values, serve/lawdates.py), with the pack
revision, the profile it assessed and the next date on which any of its rules changes. Following a system
brings its status to a new date and records, per finding, what changed and why, in three steps so each change
is put down to its cause:

1. pack: the new pack revision, the old profile, the status's date;
2. answers: the current profile, the status's date;
3. date: each date on which a rule changes, up to the new date (the transition says "since" that date).

A run follows every non-archived system that is due (new pack revision, new answers, or a change date that has
arrived). It runs in one write transaction that holds SQLite's write lock (BEGIN IMMEDIATE) or, on PostgreSQL,
an advisory lock, and decides from what is stored: two workers starting together queue, and the second finds
nothing due, so a system is re-assessed once. Each system re-assessed appends one audit entry; a system's
first status (its baseline, derived from answers the log already holds) appends none.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from ..errors import RegatlasError
from ..facts.profile import Profile
from ..rules.pack import Pack
from . import audit
from .db import Database, now
from .inventory import facts_at, profile_hash, profile_of
from .labels import relabel
from .lawdates import Change, assessed, compare, next_change, states, states_from_json, summary, walk, words
from .models import FollowupState, System, SystemStatus, Transition

FOLLOW_LOCK_KEY = 0x72656761746C6174  # "regatlat": the follow-up's own PostgreSQL advisory lock (audit's + 1)
STATE_ROW = 1


def lock(session: Session) -> None:
    """Serialise follow-ups on PostgreSQL (SQLite's write transaction already holds the database's lock).

    Taken before any audit append in the same transaction, always in this order, so the two locks never cross."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FOLLOW_LOCK_KEY})


@dataclass
class Followed:
    """One system brought up to date: the causes that applied and the transitions recorded (or why not)."""

    system_id: int
    name: str
    causes: list[str] = field(default_factory=list)
    transitions: list[Transition] = field(default_factory=list)
    skipped: str | None = None

    def json(self) -> dict[str, Any]:
        return {
            "system_id": self.system_id,
            "name": self.name,
            "causes": self.causes,
            "skipped": self.skipped,
            "transitions": [transition_json(t) for t in self.transitions],
        }


@dataclass
class RunSummary:
    as_of: str
    pack_revision: str
    previous_revision: str | None
    checked: int
    systems: list[Followed]

    def json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "pack_revision": self.pack_revision,
            "previous_revision": self.previous_revision,
            "checked": self.checked,
            "reassessed": sum(1 for s in self.systems if not s.skipped),
            "transitions": sum(len(s.transitions) for s in self.systems),
            "systems": [s.json() for s in self.systems],
        }


def transition_json(t: Transition) -> dict[str, Any]:
    return {
        "id": t.id,
        "system_id": t.system_id,
        "recorded_at": t.recorded_at,
        "as_of": t.as_of,
        "cause": t.cause,
        "old_revision": t.old_revision,
        "new_revision": t.new_revision,
        "finding": t.finding,
        "instrument": t.instrument,
        "provision": t.provision,
        "old_value": t.old_value,
        "new_value": t.new_value,
        "assessment_id": t.assessment_id,
        "words": t.words,
    }


def status_json(status: SystemStatus) -> dict[str, Any]:
    return {
        "system_id": status.system_id,
        "as_of": status.as_of,
        "pack_revision": status.pack_revision,
        "profile_hash": status.profile_hash,
        "system_version": status.system_version,
        "next_change": status.next_change,
        "summary": json.loads(status.summary),
        "findings": {key: value["value"] for key, value in json.loads(status.findings).items()},
        "updated_at": status.updated_at,
    }


def due(status: SystemStatus | None, pack: Pack, today: dt.date, facts_hash: str) -> bool:
    """Whether the stored status no longer says what the law says of the system today."""
    if status is None:
        return True
    return (
        status.pack_revision != pack.revision
        or status.profile_hash != facts_hash
        or status.as_of > today.isoformat()  # assessed ahead of today (a run with --as-of): back to today
        or (status.next_change is not None and status.next_change <= today.isoformat())
    )


class _Recorder:
    """Collects one system's transitions as the steps find them."""

    def __init__(self, system_id: int, old_revision: str | None, pack: Pack, assessment_id: int | None):
        self.system_id, self.old_revision, self.pack = system_id, old_revision, pack
        self.assessment_id = assessment_id
        self.rows: list[Transition] = []
        self.causes: list[str] = []

    def add(self, cause: str, day: dt.date, changes: list[Change]) -> None:
        if changes and cause not in self.causes:
            self.causes.append(cause)
        stamp = now()
        for change in changes:
            self.rows.append(
                Transition(
                    system_id=self.system_id,
                    recorded_at=stamp,
                    as_of=day.isoformat(),
                    cause=cause,
                    old_revision=self.old_revision,
                    new_revision=self.pack.revision,
                    finding=change.finding,
                    instrument=change.instrument,
                    provision=change.provision,
                    old_value=change.old,
                    new_value=change.new,
                    assessment_id=self.assessment_id if cause == "answers" else None,
                    words=words(cause, day, change, self.old_revision, self.pack.revision),
                )
            )


def _steps(
    session: Session,
    pack: Pack,
    status: SystemStatus,
    profile: Profile,
    facts_hash: str,
    today: dt.date,
    recorder: _Recorder,
) -> dict[str, Any]:
    """Steps 1-3 of the module's docstring; returns the assessment on `today`."""
    day = dt.date.fromisoformat(status.as_of)
    known = states_from_json(json.loads(status.findings))
    if status.pack_revision != pack.revision:
        old_profile = _profile_or_none(session, pack, status.system_id, status.system_version) or profile
        under_new_pack = assessed(pack, old_profile, day)
        recorder.add("pack", day, compare(known, states(under_new_pack)))
        known = states(under_new_pack)
    current = assessed(pack, profile, day)
    if status.profile_hash != facts_hash:
        recorder.add("answers", day, compare(known, states(current)))
    if today < day:  # back to an earlier date (a run with --as-of): one step, put down to the date
        result = assessed(pack, profile, today)
        recorder.add("date", today, compare(states(current), states(result)))
        return result
    for step in walk(pack, profile, current, today):
        recorder.add("date", step.day, step.changes)
    return current if today == day else assessed(pack, profile, today)


def _profile_or_none(session: Session, pack: Pack, system_id: int, version: int) -> Profile | None:
    """The profile at a past version, or None when the (new) vocabulary no longer accepts its answers."""
    try:
        return profile_of(pack, f"system {system_id}", facts_at(session, system_id, version=version))
    except RegatlasError:
        return None


def follow(
    session: Session,
    pack: Pack,
    system: System,
    today: dt.date,
    actor: str,
    assessment_id: int | None = None,
    audited: bool = True,
) -> Followed | None:
    """Bring one system's status to `today` in the caller's write transaction; None when it was up to date."""
    lock(session)
    facts = facts_at(session, system.id, version=system.version)
    facts_hash = profile_hash(facts)
    status = session.get(SystemStatus, system.id)
    if not due(status, pack, today, facts_hash):
        return None
    followed = Followed(system.id, system.name)
    try:
        profile = profile_of(pack, system.name, facts)
    except RegatlasError as exc:
        followed.skipped = f"its answers do not match the fact vocabulary: {exc.problems[0].message}"
        return followed
    recorder = _Recorder(system.id, status.pack_revision if status else None, pack, assessment_id)
    if status is None:
        result = assessed(pack, profile, today)
        followed.causes = ["first"]
        status = SystemStatus(system_id=system.id)
        session.add(status)
    else:
        result = _steps(session, pack, status, profile, facts_hash, today, recorder)
        followed.causes = recorder.causes or ["date"]
    _store(status, pack, system, facts_hash, result)
    relabel(session, system.id, result)
    session.add_all(recorder.rows)
    session.flush()
    followed.transitions = recorder.rows
    if audited and followed.causes != ["first"]:  # a first status is the baseline: nothing was re-assessed
        audit.append(session, actor, "reassessment", f"system:{system.id}", _audit_data(followed, status))
    return followed


def _store(status: SystemStatus, pack: Pack, system: System, facts_hash: str, result: dict[str, Any]) -> None:
    upcoming = next_change(pack, result)
    status.as_of = result["as_of"]
    status.pack_revision = pack.revision
    status.profile_hash = facts_hash
    status.system_version = system.version
    status.findings = json.dumps({key: state.json() for key, state in states(result).items()}, sort_keys=True)
    status.summary = json.dumps(summary(result), sort_keys=True)
    status.next_change = upcoming.isoformat() if upcoming else None
    status.updated_at = now()


def _audit_data(followed: Followed, status: SystemStatus) -> dict[str, Any]:
    return {
        "causes": followed.causes,
        "as_of": status.as_of,
        "revision": status.pack_revision,
        "system_version": status.system_version,
        "transitions": len(followed.transitions),
        "next_change": status.next_change,
    }


def reassess(database: Database, pack: Pack, today: dt.date, actor: str) -> RunSummary:
    """Follow every non-archived system that is due, once, whatever else runs at the same time."""
    with database.write() as session:
        lock(session)
        state = session.get(FollowupState, STATE_ROW)
        previous = state.pack_revision if state else None
        systems = session.execute(select(System).where(System.archived.is_(False)).order_by(System.id)).scalars()
        checked, followed = 0, []
        for system in systems.all():
            checked += 1
            if (one := follow(session, pack, system, today, actor)) is not None:
                followed.append(one)
        if state is None:
            state = FollowupState(id=STATE_ROW)
            session.add(state)
        state.pack_revision, state.as_of, state.run_at = pack.revision, today.isoformat(), now()
    return RunSummary(today.isoformat(), pack.revision, previous, checked, followed)


def run_needed(database: Database, pack: Pack, today: dt.date) -> bool:
    """A cheap look, without the write lock: has the pack or the date moved since the last run, or is a system
    without a status, answered since its status, or past its next change date?"""
    with database.read() as session:
        state = session.get(FollowupState, STATE_ROW)
        if state is None or state.pack_revision != pack.revision or state.as_of != today.isoformat():
            return True
        stale = (
            select(System.id)
            .outerjoin(SystemStatus, SystemStatus.system_id == System.id)
            .where(System.archived.is_(False))
            .where(
                or_(
                    SystemStatus.system_id.is_(None),
                    SystemStatus.system_version != System.version,
                    SystemStatus.next_change <= today.isoformat(),
                )
            )
            .limit(1)
        )
        return session.execute(stale).first() is not None
