"""Answers about instruments, their parties and jurisdictions, as data ready for text or JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import Problem, RegatlasError, nearest
from ..rules.model import Party
from ..rules.pack import LoadedInstrument, LoadedRule, Pack
from ..rules.touch import binding_in, related
from .status import describe_status, force_label

JOINING = ("signed", "ratified", "approved", "acceded", "endorsed", "adhered", "committed", "in_favour")
DECLINING = ("declined", "withdrawn", "against")
ABSTAINING = ("abstained", "absent")
DATE_UNKNOWN = "date unknown"
# The keys of jurisdiction_profile that hold international instruments, in the order they are shown.
PARTICIPATION_GROUPS = ("joined", "declined", "abstained", "date_unknown", "not_recorded")


def holds_on(party: Party, day: dt.date, today: dt.date, undated: bool = False) -> bool:
    """Whether a recorded participation can be shown as holding on `day`.

    An undated entry is known to hold only now (the record describes the present), so it counts on today or later;
    on an earlier day its date is unknown and it is left out unless the caller asks for undated entries.
    """
    if party.date is None:
        return undated or day >= today
    return party.date <= day


def instrument_row(inst: LoadedInstrument, day: dt.date) -> dict[str, Any]:
    meta = inst.meta.instrument
    return {
        "id": meta.id,
        "title": meta.short_title,
        "full_title": meta.title,
        "jurisdiction": meta.jurisdiction,
        "binding_force": meta.binding_force,
        "binding_force_text": force_label(meta.binding_force),
        "kind": meta.kind,
        "status": meta.status_on(day),
        "status_text": describe_status(meta, day),
        "rules": len(inst.rules),
        "parties": len(meta.parties),
        "confidence": meta.confidence,
        "source": meta.source_url,
    }


def _rule_row(rule: LoadedRule, day: dt.date) -> dict[str, Any]:
    """A rule by its provision: citation, kind, addressees and every dated version (in force on `day` or not)."""
    return {
        "id": rule.id,
        "key": rule.key,
        "title": rule.rule.title,
        "kind": rule.rule.kind,
        "citation": rule.citation_label,
        "url": rule.rule.citation.url,
        "addressee": list(rule.rule.addressee),
        "status": rule.rule.status,
        "in_force": rule.version_at(day) is not None,
        "versions": [
            {
                "valid_from": v.version.valid_from.isoformat(),
                "valid_to": v.version.valid_to.isoformat() if v.version.valid_to else None,
                "applies_from": v.version.applies_from,  # a date, or the expression that yields one
                "act": v.version.act,
                "source_url": v.version.source_url or rule.rule.citation.url,
            }
            for v in rule.versions
        ],
    }


def instrument_detail(inst: LoadedInstrument, day: dt.date) -> dict[str, Any]:
    """An instrument's row with its dated status events and its rules' citations and dates."""
    meta = inst.meta.instrument
    events = [
        {"event": e.event, "date": e.date.isoformat(), "act": e.act, "note": e.note}
        for e in sorted(meta.status, key=lambda e: e.date)
    ]
    return {
        **instrument_row(inst, day),
        "status_events": events,
        "rules_detail": [_rule_row(rule, day) for rule in inst.rules.values()],
    }


def list_instruments(
    pack: Pack, day: dt.date, jurisdiction: str | None = None, force: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    rows = []
    for inst in pack.instruments.values():
        meta = inst.meta.instrument
        if jurisdiction and not related(pack.registry, jurisdiction, meta.jurisdiction, day):
            continue
        if force and meta.binding_force != force:
            continue
        if status and meta.status_on(day) != status:
            continue
        rows.append(instrument_row(inst, day))
    return sorted(rows, key=lambda r: (r["jurisdiction"] != "INTL", r["jurisdiction"], r["id"]))


def find_instrument(pack: Pack, ref: str) -> LoadedInstrument:
    """By id (intl_paris_2025), or by a unique word of its short title (paris)."""
    if ref in pack.instruments:
        return pack.instruments[ref]
    matches = [
        i for i in pack.instruments.values() if ref.lower() in (i.id + " " + i.meta.instrument.short_title).lower()
    ]
    if len(matches) == 1:
        return matches[0]
    allowed = [m.id for m in matches] or list(pack.instruments)
    message = f"'{ref}' matches {len(matches)} instruments" if matches else f"unknown instrument '{ref}'"
    raise RegatlasError(Problem(message, path="INSTRUMENT", allowed=allowed, suggestion=nearest(ref, pack.instruments)))


def _party_row(pack: Pack, party: Party) -> dict[str, Any]:
    return {
        "party": party.party,
        "name": pack.registry.name(party.party) if party.kind != "company" else party.party,
        "kind": party.kind,
        "participation": party.participation,
        "date": party.date.isoformat() if party.date else None,
        "date_text": party.date.isoformat() if party.date else DATE_UNKNOWN,
        "confidence": party.confidence,
        "source": party.source,
        "note": party.note,
    }


def parties(
    pack: Pack,
    inst: LoadedInstrument,
    day: dt.date,
    only: str | None = None,
    undated: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The parties holding on `day`; undated entries are listed apart on an earlier day unless `undated` is set."""
    meta = inst.meta.instrument
    now = today or dt.date.today()
    code = None
    if only:
        code = pack.registry.normalise(only)
        if code is None:
            raise RegatlasError(pack.registry.unknown(only, path="--party"))
    mine = [p for p in meta.parties if code is None or p.party == code]
    rows = [_party_row(pack, p) for p in mine if holds_on(p, day, now, undated)]
    left_out = [_party_row(pack, p) for p in mine if p.date is None and not holds_on(p, day, now, undated)]
    answer = None
    if code is not None:
        answer = _participation_of(pack, inst, code, day, now, undated)
    return {
        "instrument": instrument_row(inst, day),
        "as_of": day.isoformat(),
        "parties_confidence": meta.parties_confidence,
        "parties_note": meta.parties_note,
        "entry_into_force_condition": meta.entry_into_force_condition,
        "counts": {
            k: sum(1 for r in rows if r["participation"] == k) for k in sorted({r["participation"] for r in rows})
        },
        "parties": rows,
        "undated_left_out": left_out,
        "answer": answer,
    }


def _latest(parties: list[Party], party: str, day: dt.date, today: dt.date, undated: bool) -> Party | None:
    """A party's most recent participation holding on the day (ratified beats signed on the same day)."""
    dated = [p for p in parties if p.party == party and holds_on(p, day, today, undated)]
    rank = {kind: i for i, kind in enumerate(JOINING)}
    return max(dated, key=lambda p: (p.date or dt.date.min, rank.get(p.participation, -1)), default=None)


def _undated_entry(parties: list[Party], party: str) -> Party | None:
    return next((p for p in parties if p.party == party and p.date is None), None)


def _participation_of(
    pack: Pack, inst: LoadedInstrument, code: str, day: dt.date, today: dt.date, undated: bool = False
) -> dict[str, Any]:
    """How one jurisdiction takes part: itself, through a union it belongs to, not recorded, or date unknown."""
    meta = inst.meta.instrument
    found, via = _latest(meta.parties, code, day, today, undated), None
    if found is None:
        for union in pack.registry.unions_of(code, day):
            if (found := _latest(meta.parties, union, day, today, undated)) is not None:
                via = union
                break
    row = {"party": code, "name": pack.registry.name(code), "via": via}
    if found is None and (unknown := _undated_entry(meta.parties, code)) is not None:
        return {
            **row,
            "participation": DATE_UNKNOWN,
            "date": None,
            "confidence": unknown.confidence,
            "note": f"recorded as {unknown.participation} on a date not known, so not shown as holding on {day}",
        }
    if found is None:
        note = "absent from the recorded list" + (f" ({meta.parties_note})" if meta.parties_note else "")
        return {
            **row,
            "participation": "not recorded",
            "date": None,
            "confidence": meta.parties_confidence,
            "note": note,
        }
    note = f"through the {pack.registry.name(via)}, not in its own name" if via else found.note
    return {
        **row,
        "participation": found.participation,
        "date": found.date.isoformat() if found.date else None,
        "confidence": found.confidence,
        "note": note,
    }


def jurisdiction_profile(
    pack: Pack, code: str, day: dt.date, undated: bool = False, today: dt.date | None = None
) -> dict[str, Any]:
    """What binds in a place on a date, and which international instruments it joined, declined or voted on."""
    now = today or dt.date.today()
    canonical = pack.registry.normalise(code)
    if canonical is None:
        raise RegatlasError(pack.registry.unknown(code, path="CODE"))
    binding = [instrument_row(i, day) for i in binding_in(pack, canonical, day)]
    international = [
        {
            "instrument": i.id,
            "title": i.meta.instrument.short_title,
            "binding_force": i.meta.instrument.binding_force,
            **_participation_of(pack, i, canonical, day, now, undated),
        }
        for i in pack.instruments.values()
        if i.meta.instrument.jurisdiction == "INTL"
    ]
    return {
        "code": canonical,
        "name": pack.registry.name(canonical),
        "as_of": day.isoformat(),
        "member_of": pack.registry.unions_of(canonical, day),
        "binding_here": sorted(binding, key=lambda r: (r["status"] != "in_force", r["jurisdiction"], r["id"])),
        "joined": [r for r in international if r["participation"] in JOINING],
        "declined": [r for r in international if r["participation"] in DECLINING],
        "abstained": [r for r in international if r["participation"] in ABSTAINING],
        "date_unknown": [r for r in international if r["participation"] == DATE_UNKNOWN],
        "not_recorded": [r for r in international if r["participation"] == "not recorded"],
    }
