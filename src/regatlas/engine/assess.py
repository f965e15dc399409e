"""Assessment: profile x as-of date x pack -> findings, each yes / no / unknown with its trace.

An assessment records the pack revision, the as-of date and the profile, so it can be
reproduced exactly; its decision id is a hash of those three.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from .. import ENGINE_VERSION
from ..facts.derive import derive_facts
from ..facts.profile import Profile, encode_value
from ..rules.pack import LoadedInstrument, LoadedRule, Pack
from ..rules.touch import touches
from . import kleene
from .closures import CompiledLaw
from .context import LawAsOf
from .explain import Explainer, RuleResult, Trace

HIDDEN_KINDS = ("definition",)  # intermediate concepts: shown by `explain`, not in the summary


@dataclass
class PenaltyFinding:
    penalty_id: str
    citation: str
    url: str
    imposed_by: str
    amount_eur: float
    turnover_share: float
    which: str  # higher | lower | unknown
    cap_eur: float | None
    applies_from: dt.date
    missing: list[str]

    def describe(self) -> str:
        base = f"up to EUR {self.amount_eur:,.0f} or {self.turnover_share:.0%} of worldwide annual turnover"
        if self.which == "unknown":
            base += ", whichever is higher (lower for SMEs, and from 27 July 2026 SMCs: the addressee's size decides)"
        else:
            base += f", whichever is {self.which}"
        if self.cap_eur is not None:
            base += f" = at most EUR {self.cap_eur:,.0f} for this operator"
        return base


@dataclass
class Finding:
    instrument_id: str
    rule_id: str
    kind: str
    title: str
    addressee: list[str]
    citation: str
    url: str
    status: str
    note: str | None
    outcome: str  # yes | no | unknown
    applies_from: dt.date | None
    in_effect: bool | None  # does the rule apply on the as-of date (yes findings)?
    missing: list[str]
    act: str
    version_from: dt.date
    version_to: dt.date | None
    question: str | None
    trace: Trace | None = None
    exceptions: list[tuple[str, bool | None]] = field(default_factory=list)
    penalty: PenaltyFinding | None = None
    holder: bool | None = None  # does the assessed operator hold the addressed role?
    moot: bool = False  # an exception whose every defeated rule fails on its own condition

    @property
    def shown(self) -> bool:
        """Worth a line in a summary: not an intermediate definition, not a moot exception."""
        return self.kind not in HIDDEN_KINDS and not self.moot

    @property
    def key(self) -> str:
        return f"{self.instrument_id}:{self.rule_id}"


@dataclass
class NotInForce:
    instrument_id: str
    rule_id: str
    title: str
    citation: str
    next_from: dt.date | None  # a future version starts here
    ended: dt.date | None  # the last version ended here


@dataclass
class Question:
    fact_id: str
    question: str
    help: str
    settles: list[str]  # finding keys this fact would help settle


@dataclass
class Assessment:
    profile: Profile
    as_of: dt.date
    pack_revision: str
    engine_version: str
    findings: list[Finding]
    not_in_force: list[NotInForce]
    questions: list[Question]
    instruments: dict[str, LoadedInstrument]

    @property
    def decision_id(self) -> str:
        payload = json.dumps(
            [self.pack_revision, self.as_of.isoformat(), self.profile.to_json()], sort_keys=True
        ).encode()
        return hashlib.sha256(payload).hexdigest()[:16]

    def finding(self, ref: str) -> Finding:
        for f in self.findings:
            if ref in (f.key, f.rule_id):
                return f
        raise KeyError(ref)

    def prohibited(self) -> list[Finding]:
        """Every prohibition that holds, in effect now or from a later date (an early warning)."""
        return [f for f in self.findings if f.kind == "prohibition" and f.outcome == "yes"]

    def prohibited_now(self) -> list[Finding]:
        """Prohibitions that hold and apply on the as-of date."""
        return [f for f in self.prohibited() if f.in_effect]

    def prohibited_later(self) -> list[Finding]:
        """Prohibitions that hold but apply only from a later date (or from a date the profile leaves open)."""
        return [f for f in self.prohibited() if not f.in_effect]


@lru_cache(maxsize=64)
def _law(instrument: LoadedInstrument, as_of: dt.date) -> LawAsOf:
    return LawAsOf.select(instrument, as_of)


@lru_cache(maxsize=64)
def compiled_law(instrument: LoadedInstrument, as_of: dt.date) -> CompiledLaw:
    return CompiledLaw(_law(instrument, as_of))


def _holder(rule: LoadedRule, facts: dict) -> bool | None:
    """Does the assessed operator hold one of the roles the rule addresses?"""
    if not rule.rule.addressee:
        return None
    roles = facts.get("operator.roles")
    if roles is None:
        return None
    return bool(roles & set(rule.rule.addressee))


def _penalty(
    instrument: LoadedInstrument, rule: LoadedRule, explainer: Explainer, facts: dict, holder: bool | None
) -> PenaltyFinding | None:
    """The fine attached to a finding; the cap is computed only where the duty is the assessed operator's own."""
    if not rule.rule.penalty:
        return None
    loaded = instrument.penalties[rule.rule.penalty]
    selected = loaded.version_at(explainer.law.as_of)
    if selected is None:
        return None
    version, lower_when = selected
    own = holder is not False  # another party's fine depends on that party's size and turnover, not ours
    lower_trace = explainer.eval(lower_when) if lower_when is not None and own else None
    lower = False if lower_when is None else (lower_trace.value if lower_trace is not None else None)
    which = {True: "lower", False: "higher", None: "unknown"}[lower]
    turnover = facts.get("operator.annual_turnover_eur") if own else None
    cap = None
    if turnover is not None and lower is not None:
        share = version.turnover_share * float(turnover)
        cap = min(version.amount_eur, share) if lower else max(version.amount_eur, share)
    missing = sorted(explainer.missing(lower_trace)) if lower_trace is not None else []
    if own and turnover is None:
        missing.append("operator.annual_turnover_eur")
    return PenaltyFinding(
        penalty_id=loaded.penalty.id,
        citation=loaded.penalty.citation.label(instrument.meta.instrument.citation_prefix),
        url=loaded.penalty.citation.url,
        imposed_by=loaded.penalty.imposed_by,
        amount_eur=version.amount_eur,
        turnover_share=version.turnover_share,
        which=which,
        cap_eur=cap,
        applies_from=version.applies_from,
        missing=missing,
    )


def _finding(
    instrument: LoadedInstrument, rule: LoadedRule, result: RuleResult, explainer: Explainer, facts: dict
) -> Finding:
    version = explainer.law.versions[rule.id].version
    applies_from = result.applies_from if isinstance(result.applies_from, dt.date) else None
    in_effect = None if applies_from is None else applies_from <= explainer.law.as_of
    holder = _holder(rule, facts)
    missing = set(result.missing)
    if result.value is True and applies_from is None:
        missing |= result.applies_missing
    return Finding(
        instrument_id=instrument.id,
        rule_id=rule.id,
        kind=rule.rule.kind,
        title=rule.rule.title,
        addressee=list(rule.rule.addressee),
        citation=rule.citation_label,
        url=version.source_url or rule.rule.citation.url,
        status=rule.rule.status,
        note=rule.rule.note,
        outcome=kleene.outcome(result.value),
        applies_from=applies_from,
        in_effect=in_effect,
        missing=sorted(missing),
        act=version.act,
        version_from=version.valid_from,
        version_to=version.valid_to,
        question=rule.rule.question,
        trace=result.when,
        exceptions=result.exceptions,
        penalty=_penalty(instrument, rule, explainer, facts, holder) if result.value is not False else None,
        holder=holder,
    )


def _not_in_force(instrument: LoadedInstrument, rule: LoadedRule, as_of: dt.date) -> NotInForce:
    later = [v.version.valid_from for v in rule.versions if v.version.valid_from > as_of]
    ended = [v.version.valid_to for v in rule.versions if v.version.valid_to and v.version.valid_to < as_of]
    return NotInForce(
        instrument.id,
        rule.id,
        rule.rule.title,
        rule.citation_label,
        min(later) if later else None,
        max(ended) if ended else None,
    )


def _fails_on_its_own(results: dict[str, RuleResult]) -> Callable[[str], bool]:
    """Whether a rule is not in force (no condition evaluated) or its own condition is false."""
    return lambda rule_id: results[rule_id].when is None or results[rule_id].when.value is False


def moot_exceptions(instrument: LoadedInstrument, fails: Callable[[str], bool]) -> set[str]:
    """Exceptions that cannot matter: every rule they defeat is not in force or fails on its own condition
    (`fails(rule_id)`), or is moot. Shared by the assessment and the questions' look-ahead (engine/questions.py)."""
    targets: dict[str, list[str]] = {}
    for rule in instrument.rules.values():
        for exception_id in rule.exceptions:
            targets.setdefault(exception_id, []).append(rule.id)
    moot: set[str] = set()
    changed = True
    while changed:  # exceptions to exceptions: mootness propagates up the chain
        changed = False
        for exception_id, defeated in targets.items():
            if exception_id not in moot and all(t in moot or fails(t) for t in defeated):
                moot.add(exception_id)
                changed = True
    return moot


def _questions(pack: Pack, findings: list[Finding]) -> list[Question]:
    """Unknown facts ranked by how many undecided findings each can help settle."""
    settles: dict[str, list[str]] = {}
    for f in findings:
        if not f.shown:
            continue
        for fact in f.missing:
            settles.setdefault(fact, []).append(f.key)
    ranked = sorted(settles.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [Question(fact, pack.vocabulary[fact].question, pack.vocabulary[fact].help, keys) for fact, keys in ranked]


def assess(
    pack: Pack, profile: Profile, as_of: dt.date, instruments: list[str] | None = None, only_touched: bool = True
) -> Assessment:
    """Assess one profile, with full traces, against the instruments its places touch (or all the named ones)."""
    facts = derive_facts(profile.facts, pack.vocabulary, pack.registry, as_of, profile.source)
    findings: list[Finding] = []
    not_in_force: list[NotInForce] = []
    chosen = {
        k: v
        for k, v in pack.instruments.items()
        if (instruments is None or k in instruments) and (not only_touched or touches(pack, v, facts, as_of))
    }
    for instrument in chosen.values():
        law = _law(instrument, as_of)
        explainer = Explainer(law, facts)
        results = explainer.run()
        moot = moot_exceptions(instrument, _fails_on_its_own(results))
        for rule in instrument.rules.values():
            if law.in_force(rule.id):
                finding = _finding(instrument, rule, results[rule.id], explainer, facts)
                finding.moot = rule.id in moot
                findings.append(finding)
            else:
                not_in_force.append(_not_in_force(instrument, rule, as_of))
    return Assessment(
        profile=profile,
        as_of=as_of,
        pack_revision=pack.revision,
        engine_version=ENGINE_VERSION,
        findings=findings,
        not_in_force=not_in_force,
        questions=_questions(pack, findings),
        instruments=chosen,
    )


def assess_fast(pack: Pack, facts: dict, as_of: dt.date) -> dict[str, tuple[str, dt.date | None]]:
    """Outcomes only (no trace, no missing facts): finding key -> (outcome, applies_from)."""
    facts = derive_facts(facts, pack.vocabulary, pack.registry, as_of, "<facts>")
    out = {}
    for instrument in pack.instruments.values():
        if not touches(pack, instrument, facts, as_of):
            continue
        for rule_id, (value, applies) in compiled_law(instrument, as_of).run(facts).items():
            out[f"{instrument.id}:{rule_id}"] = (
                kleene.outcome(value),
                applies if isinstance(applies, dt.date) else None,
            )
    return out


def encode_facts(facts: dict) -> dict:
    return {k: encode_value(v) for k, v in facts.items()}
