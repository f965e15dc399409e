"""The stable JSON form of an assessment (format id: regatlas.assessment/1). See docs/json-output.md."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..engine import kleene
from ..engine.assess import Assessment, Finding
from ..engine.explain import Trace
from ..engine.kleene import outcome
from ..facts.profile import encode_value
from ..world.status import describe_status
from .verdict import Cited, Verdict, verdict

FORMAT = "regatlas.assessment/1"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def trace_json(trace: Trace) -> dict[str, Any]:
    node: dict[str, Any] = {"expr": trace.src, "kind": trace.kind, "value": encode_value(trace.value)}
    if trace.value is None:
        node["value"] = "unknown"
    if trace.ref:
        node["ref"] = trace.ref
    if trace.children:
        node["children"] = [trace_json(c) for c in trace.children]
    return node


def finding_json(f: Finding, with_trace: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": f.key,
        "instrument": f.instrument_id,
        "rule": f.rule_id,
        "kind": f.kind,
        "title": f.title,
        "outcome": f.outcome,
        "applies_from": _date(f.applies_from),
        "in_effect": f.in_effect,
        "addressee": f.addressee,
        "operator_holds_role": outcome(f.holder) if f.addressee else None,
        "citation": {"label": f.citation, "url": f.url},
        "verification": f.status,
        "note": f.note,
        "version": {"act": f.act, "valid_from": _date(f.version_from), "valid_to": _date(f.version_to)},
        "missing_facts": f.missing,
        "exceptions": [{"rule": rid, "outcome": outcome(v)} for rid, v in f.exceptions],
        "moot": f.moot,
        "penalty": None,
    }
    if f.penalty:
        p = f.penalty
        out["penalty"] = {
            "id": p.penalty_id,
            "citation": {"label": p.citation, "url": p.url},
            "imposed_by": p.imposed_by,
            "amount_eur": p.amount_eur,
            "turnover_share": p.turnover_share,
            "whichever": p.which,
            "cap_eur": p.cap_eur,
            "applies_from": _date(p.applies_from),
            "missing_facts": p.missing,
        }
    if with_trace and f.trace is not None:
        out["trace"] = trace_json(f.trace)
    return out


_VALUES = {"yes": True, "no": False, "unknown": None}


def _any_of(outcomes: list[str]) -> str | None:
    """Kleene "or" of finding outcomes; None when there is nothing to join."""
    return outcome(kleene.or_(_VALUES[o] for o in outcomes)) if outcomes else None


def instrument_summary(assessment: Assessment, instrument_id: str) -> dict[str, Any]:
    findings = [f for f in assessment.findings if f.instrument_id == instrument_id]
    instrument = assessment.instruments[instrument_id]
    meta = instrument.meta.instrument
    scopes = {f.key: f.outcome for f in findings if f.kind == "scope"}
    subject = {f.key: instrument.rules[f.rule_id].rule.subject or "system" for f in findings if f.kind == "scope"}
    # In scope if any scope finding holds (the EU AI Act has one for systems and one for GPAI models): each
    # subject apart too, so a system excluded under Art. 2(3) shows "no" for the system while its model is open.
    scope = _any_of(list(scopes.values()))
    partial = [
        f.key
        for f in findings
        if f.kind == "exemption" and f.outcome == "yes" and instrument.rules[f.rule_id].rule.partial_exclusion
    ]
    if scope == "yes" and partial:
        scope = "partial"  # e.g. Art. 2(12): an open-source system keeps only Art. 5 and Art. 50
    return {
        "title": meta.short_title,
        "jurisdiction": meta.jurisdiction,
        "binding_force": meta.binding_force,
        "kind": meta.kind,
        "status": meta.status_on(assessment.as_of),
        "status_text": describe_status(meta, assessment.as_of),
        "in_scope": scope,
        "in_scope_system": _any_of([o for k, o in scopes.items() if subject[k] == "system"]),
        "in_scope_model": _any_of([o for k, o in scopes.items() if subject[k] == "model"]),
        "partial_exclusions": partial,
        "scope": scopes,
        # in effect on the as-of date; those that hold but apply only later, with the date they apply from
        "prohibited": [f.key for f in findings if f.kind == "prohibition" and f.outcome == "yes" and f.in_effect],
        "prohibited_from": {
            f.key: _date(f.applies_from)
            for f in findings
            if f.kind == "prohibition" and f.outcome == "yes" and not f.in_effect
        },
        "classifications": {f.key: f.outcome for f in findings if f.kind == "classification"},
        "counts": {o: sum(1 for f in findings if f.shown and f.outcome == o) for o in ("yes", "no", "unknown")},
    }


def _cited_json(c: Cited) -> dict[str, Any]:
    return {
        "finding": c.key,
        "instrument": c.instrument,
        "kind": c.kind,
        "category": c.category,
        "risk_class": c.risk_class,
        "citation": {"label": c.citation, "url": c.url},
        "title": c.title,
        "applies_from": _date(c.applies_from),
        "verification": c.verification,
    }


def verdict_json(v: Verdict) -> dict[str, Any]:
    """The verdict block: per jurisdiction, the strongest category that holds on the date (docs/json-output.md)."""
    return {
        "next_date": _date(v.next_date),
        "jurisdictions": [
            {
                "jurisdiction": j.jurisdiction,
                "name": j.name,
                "verdict": j.category,
                "risk_classes": list(j.risk_classes),
                "because": [_cited_json(c) for c in j.because],
                "at_least": j.at_least,
                "could_be": j.could_be,
                "pending": [_cited_json(c) for c in j.pending],
                "settle_with": list(j.settle_with),
                "open_findings": j.open_findings,
                "next": None
                if j.next_date is None
                else {
                    "date": _date(j.next_date),
                    "changes": [{"change": c.change, **_cited_json(c.finding)} for c in j.next_changes],
                },
            }
            for j in v.jurisdictions
        ],
    }


def assessment_json(assessment: Assessment, with_trace: bool = False) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "decision_id": assessment.decision_id,
        "engine_version": assessment.engine_version,
        "pack_revision": assessment.pack_revision,
        "as_of": assessment.as_of.isoformat(),
        "profile": {
            "name": assessment.profile.name,
            "source": assessment.profile.source,
            "facts": assessment.profile.to_json(),
        },
        "verdict": verdict_json(verdict(assessment)),
        "summary": {iid: instrument_summary(assessment, iid) for iid in assessment.instruments},
        "findings": [finding_json(f, with_trace) for f in assessment.findings],
        "not_in_force": [
            {
                "id": f"{n.instrument_id}:{n.rule_id}",
                "title": n.title,
                "citation": n.citation,
                "in_force_from": _date(n.next_from),
                "ended": _date(n.ended),
            }
            for n in assessment.not_in_force
        ],
        "questions": [
            {"fact": q.fact_id, "question": q.question, "help": q.help, "settles": q.settles}
            for q in assessment.questions
        ],
    }


def render_json(assessment: Assessment, with_trace: bool = False) -> str:
    return json.dumps(assessment_json(assessment, with_trace), indent=2, ensure_ascii=False)


def compact_json(data: dict[str, Any]) -> bytes:
    """`data` (assessment_json's output) as compact UTF-8 JSON, for the API.

    orjson writes the 180 kB of an assessment in a twentieth of the standard module's time. It refuses integers
    beyond 64 bits, which the standard module writes: those take the slow path. Floats are written in their
    shortest form by both (orjson spells exponents without '+': 1e30, not 1e+30; the same number)."""
    import orjson  # here, not at the top: the command line's start-up does not pay for it

    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
