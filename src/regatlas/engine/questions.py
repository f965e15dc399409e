"""Open questions ranked by look-ahead: which unknown fact, once answered, settles the most open findings.

An assessment already lists, per unknown fact, the open findings whose outcome waits on it (`Assessment.questions`).
That count says a fact is read, not that answering it decides anything: `a && b` waits on both, and only a "no"
to either settles it. So each small-domain fact (yes/no, an enum, a set of at most MAX_SET_VALUES values, each
subset being one answer) is weighed by look-ahead: the findings are re-evaluated with each possible answer in turn,
and the fact's score is the number of open findings settled, averaged over its possible answers (each answer
counted alike: the engine knows no likelihoods). A larger set (Annex III's points, Annex I's acts: 2**21 subsets)
is weighed over the empty list and each single value, the answers most systems give, and says so; a list of places
over no place and each place with laws of its own in the pack (an instrument no place reaches settles all its
findings). A number or a date the rules only compare with constants is weighed over one answer in each range those
constants part (engine/thresholds.py). The rest (numbers used otherwise) have answers that cannot be listed; they
are returned apart, unweighed, with the reason and the open findings that wait on them.

The guided interview orders by a second score, `decisive`, that counts what matters to the verdict and the duties
(issue 12): a ban, class, duty or scope settled counts 1 and an exception settled 0 (its effect is counted on the
rules it defeats); a rule whose condition before its exceptions gets decided counts 1 too, for its exceptions are
then all that is left to ask (without it, `a || b` under an open exception is settled by no single answer and would
never be asked); and a "no" reached only through a carve-out (an exception, or a negated part of the condition)
while the rule's trigger (its condition with every carve-out taken as not applying) is still open counts almost
nothing: the trigger is asked first, and when it ends "no" the carve-out is never asked. Carve-outs are still asked
in the end, after everything else, when the trigger stays unknown. A large set weighed over none or one of its
values reads there as two questions: whether any applies, none and some counted alike as for a yes/no, then which
one, each value alike (counting the empty list as one answer in twenty would put Annex I's "none", which settles Art.
6(1) at once, behind each of its yes/no conditions). `expected` and the ranking's order are unchanged.

Pure: no web, no database. The service's questions routes, the terminal interview and the browser interview
(issue 12) share it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import RegatlasError
from ..expr.ir import And, Lit, Node, Not, Or, facts_in
from ..facts.derive import derive_facts
from ..facts.profile import FactValue, encode_value
from ..facts.vocabulary import Fact
from ..rules.pack import Pack
from ..rules.touch import PLACE_FACTS, UNION_FACTS, touches
from . import kleene
from .assess import Assessment, Finding, compiled_law, moot_exceptions
from .closures import CompiledLaw, Env
from .completion import answer_domain
from .explain import Explainer
from .thresholds import range_answers

MAX_SET_VALUES = 7  # 2**7 = 128 answers to weigh; a larger set is weighed over none or one of its values
EVERY_ANSWER = "every possible answer"
NONE_OR_ONE = "the empty list and each single value"
RANGES = "one value in each range the rules tell apart, and each value they compare it with"
PLACES = "no place, and each place with laws of its own in the pack"
# `decisive`: a "no" reached through a carve-out while the rule's trigger is open weighs this much (above 0: it is
# still asked at the end, never dropped); an exception settled weighs nothing of its own.
CARVE_OUT_FIRST = 0.001
EXCEPTION_KINDS = ("exemption",)


@dataclass
class Settled:
    """An open finding one answer or more would settle, and its outcome under each of those answers."""

    finding: Finding
    # (answer, "no" | "yes, from DATE" | "moot": an exception that cannot matter | "not reached": no place reached)
    outcomes: list[tuple[FactValue, str]]


@dataclass
class RankedQuestion:
    fact: Fact
    expected: float  # open findings settled, averaged over the possible answers
    settled_whatever: int  # open findings settled by every answer
    by_answer: list[tuple[FactValue, int]]  # each answer weighed and how many open findings it settles
    weighed_over: str = EVERY_ANSWER  # NONE_OR_ONE: a large set; RANGES: a number or a date; PLACES: places
    settles: list[Settled] = field(default_factory=list)
    decisive: float = 0.0  # the interview's order: what matters to the verdict and duties, averaged (see above)


@dataclass
class Decided:
    """What one answer decides among the open findings."""

    states: dict[str, str]  # finding key -> its decided state
    carved: set[str]  # decided "no" only through a carve-out while the rule's trigger is still open
    narrowed: set[str]  # still open, but the rule's condition before its exceptions is now decided


@dataclass
class UnweighedQuestion:
    fact: Fact
    reason: str
    waiting: list[Finding]  # the open findings whose outcome waits on this fact


@dataclass
class QuestionRanking:
    open: list[Finding]  # the open findings: shown, with an outcome or a date that waits on unknown facts
    questions: list[RankedQuestion]  # best first
    unweighed: list[UnweighedQuestion]  # by how many open findings wait on each


def is_open(finding: Finding) -> bool:
    """Shown, and waiting on unknown facts: for its outcome, or (an outcome of yes) for the date it applies from."""
    return finding.shown and bool(finding.missing) and finding.outcome in ("unknown", "yes")


def _state(outcome: str, applies_from: dt.date | None) -> str | None:
    """What the look-ahead decided for a finding: None while it stays open."""
    if outcome == "no":
        return "no"
    if outcome == "yes" and applies_from is not None:
        return f"yes, from {applies_from.isoformat()}"
    return None


def _fails_on_its_own(law: CompiledLaw, facts: dict) -> Callable[[str], bool]:
    """Whether a rule is not in force on the date or its own condition (before exceptions) is false."""
    env: Env = (facts, {})
    known: dict[str, bool] = {}  # a rule defeated by several exceptions is evaluated once

    def fails(rule_id: str) -> bool:
        if rule_id not in known:
            known[rule_id] = rule_id not in law.when or law.when[rule_id](env) is False
        return known[rule_id]

    return fails


def _trigger(node: Node) -> Node:
    """A condition with every negated part taken as true: what brings a rule into play before its carve-outs."""
    if isinstance(node, Not):
        return Lit(True, "true")
    if isinstance(node, And):
        return And(tuple(_trigger(item) for item in node.items), node.src)
    if isinstance(node, Or):
        return Or(tuple(_trigger(item) for item in node.items), node.src)
    return node  # a comparison, a test of membership, a rule's conclusion: read as it is


def _carved(law: CompiledLaw, explainer: Explainer, rule_id: str) -> bool:
    """A rule found "no" while its trigger is still open: only a carve-out said no."""
    return explainer.eval(_trigger(law.law.versions[rule_id].when)).value is None


def _evaluate(
    pack: Pack, assessment: Assessment, open_findings: list[Finding], facts: dict, own_open: set[str]
) -> Decided:
    """The open findings the facts decide (the others stay open), which of them only a carve-out decided, and those
    whose condition before exceptions the facts decide (`own_open`: the findings where it is open now).

    As in the assessment, an exception whose every defeated rule fails on its own condition is moot, and an
    instrument the profile's places no longer reach is not assessed: either way the finding no longer matters."""
    derived = derive_facts(facts, pack.vocabulary, pack.registry, assessment.as_of, "<look-ahead>")
    decided = Decided({}, set(), set())
    for instrument_id in sorted({f.instrument_id for f in open_findings}):
        instrument = pack.instruments[instrument_id]
        if not touches(pack, instrument, derived, assessment.as_of):
            decided.states |= {f.key: "not reached" for f in open_findings if f.instrument_id == instrument_id}
            continue
        law = compiled_law(instrument, assessment.as_of)
        results = law.run(derived)
        moot = moot_exceptions(instrument, _fails_on_its_own(law, derived))
        explainer = Explainer(law.law, derived)
        for finding in open_findings:
            if finding.instrument_id != instrument_id or finding.rule_id not in results:
                continue
            value, applies = results[finding.rule_id]
            state = _state(kleene.outcome(value), applies if isinstance(applies, dt.date) else None)
            if finding.rule_id in moot:
                state = "moot"
            if state is not None:
                decided.states[finding.key] = state
                if state == "no" and _carved(law, explainer, finding.rule_id):
                    decided.carved.add(finding.key)
            elif finding.key in own_open and law.when[finding.rule_id]((derived, {})) is not None:
                decided.narrowed.add(finding.key)
    return decided


def _decisive(decided: Decided, kinds: dict[str, str]) -> float:
    """What one answer settles that matters to the verdict and duties (the module's docstring says how)."""
    weight = 0.0
    for key in decided.states.keys() | decided.narrowed:
        if kinds[key] not in EXCEPTION_KINDS:
            weight += CARVE_OUT_FIRST if key in decided.carved else 1.0
    return weight


def _own_open(pack: Pack, assessment: Assessment, open_findings: list[Finding]) -> set[str]:
    """The open findings of rules with exceptions whose own condition (before the exceptions) is open too."""
    derived = derive_facts(assessment.profile.facts, pack.vocabulary, pack.registry, assessment.as_of, "<look-ahead>")
    found: set[str] = set()
    for finding in open_findings:
        law = compiled_law(pack.instruments[finding.instrument_id], assessment.as_of)
        if finding.outcome != "unknown" or not law.exceptions.get(finding.rule_id):
            continue
        if law.when[finding.rule_id]((derived, {})) is None:
            found.add(finding.key)
    return found


def _mean_decisive(by_answer: list[tuple[FactValue, int]], weights: list[float], weighed_over: str) -> float:
    """The decisive score over the answers weighed; for a large set, none and some alike (the module's docstring)."""
    if not weights:
        return 0.0
    if weighed_over == NONE_OR_ONE and len(weights) > 1 and by_answer[0][0] == frozenset():
        return (weights[0] + sum(weights[1:]) / len(weights[1:])) / 2
    return sum(weights) / len(weights)


def _weigh(
    pack: Pack,
    assessment: Assessment,
    open_findings: list[Finding],
    fact: Fact,
    candidates: tuple[list, str],
    own_open: set[str],
) -> RankedQuestion:
    domain, weighed_over = candidates
    by_answer: list[tuple[FactValue, int]] = []
    weights: list[float] = []
    outcomes: dict[str, list[tuple[FactValue, str]]] = {}
    kinds = {f.key: f.kind for f in open_findings}
    for answer in domain:
        try:
            facts = {**assessment.profile.facts, fact.id: answer}
            decided = _evaluate(pack, assessment, open_findings, facts, own_open)
        except RegatlasError:
            continue  # an answer the profile contradicts (a derived fact against its source): not a possible answer
        by_answer.append((answer, len(decided.states)))
        weights.append(_decisive(decided, kinds))
        for key, state in decided.states.items():
            outcomes.setdefault(key, []).append((answer, state))
    counts = [n for _, n in by_answer]
    settles = [Settled(f, outcomes[f.key]) for f in open_findings if f.key in outcomes]
    return RankedQuestion(
        fact=fact,
        expected=sum(counts) / len(counts) if counts else 0.0,
        settled_whatever=sum(1 for s in settles if len(s.outcomes) == len(by_answer)) if by_answer else 0,
        by_answer=by_answer,
        weighed_over=weighed_over,
        settles=settles,
        decisive=_mean_decisive(by_answer, weights, weighed_over),
    )


def _candidates(pack: Pack, fact: Fact, instrument_ids: list[str], as_of: dt.date) -> tuple[list, str] | None:
    """The answers to weigh and which they are; None when they cannot be listed (places, numbers used otherwise)."""
    domain = answer_domain(pack, fact.id, MAX_SET_VALUES)
    if domain is not None:
        return domain, EVERY_ANSWER
    if fact.type == "set" and fact.values:
        return [frozenset(), *(frozenset({value}) for value in fact.values)], NONE_OR_ONE
    if fact.type == "jurisdictions":
        places = {i.meta.instrument.jurisdiction for i in pack.instruments.values() if i.rules}
        return [frozenset(), *(frozenset({code}) for code in sorted(places - {"INTL"}))], PLACES
    ranges = range_answers(pack, fact, instrument_ids, as_of)
    return (ranges, RANGES) if ranges else None


def _unweighed_reason(fact: Fact) -> str:
    if fact.type in ("number", "date"):
        return f"a {fact.type} the rules use other than by comparing it with constants: its ranges are not known"
    kinds = {"jurisdictions": "a list of places"}
    return f"{kinds.get(fact.type, fact.type)}: its possible answers cannot be listed, so they are not weighed"


def askable(pack: Pack, fact_id: str) -> Fact | None:
    """The vocabulary's fact, if it can be put as a question (a typed fact with a question text); else None."""
    fact = pack.vocabulary.facts.get(fact_id)
    return fact if fact is not None and fact.question.strip() else None


def _reach(pack: Pack, as_of: dt.date, open_findings: list[Finding]) -> Callable[[Fact], list[Finding]]:
    """For a fact, the open findings its answer can change: those of the instruments whose rules in force read it
    (or a fact derived from it); every one for a place or a union fact, which decide what the profile reaches. The
    others keep their outcome whatever the answer, so the look-ahead need not evaluate them."""
    reads: dict[str, set[str]] = {}
    for instrument_id in {f.instrument_id for f in open_findings}:
        versions = compiled_law(pack.instruments[instrument_id], as_of).law.versions.values()
        reads[instrument_id] = set().union(*(facts_in(v.when) | facts_in(v.applies_from) for v in versions))
    deciding_reach = set(PLACE_FACTS).union(*UNION_FACTS.values())

    def reach(fact: Fact) -> list[Finding]:
        if fact.id in deciding_reach:
            return open_findings
        affected = {fact.id} | {d.id for d in pack.vocabulary.facts.values() if d.derive_from == fact.id}
        return [f for f in open_findings if reads[f.instrument_id] & affected]

    return reach


def rank_questions(pack: Pack, assessment: Assessment) -> QuestionRanking:
    """The unknown facts of an assessment, ranked by the open findings their answer would settle (look-ahead)."""
    open_findings = [f for f in assessment.findings if is_open(f)]
    waiting: dict[str, list[Finding]] = {}
    for finding in open_findings:
        for fact_id in finding.missing:
            waiting.setdefault(fact_id, []).append(finding)
    ranked, unweighed = [], []
    instruments = sorted({f.instrument_id for f in open_findings})
    reach = _reach(pack, assessment.as_of, open_findings)
    own_open = _own_open(pack, assessment, open_findings)
    for fact_id in sorted(waiting):
        fact = askable(pack, fact_id)
        if fact is None or fact_id in assessment.profile.facts:
            continue  # not a question the vocabulary can put; an answered fact is never asked again
        candidates = _candidates(pack, fact, instruments, assessment.as_of)
        if candidates is None:
            unweighed.append(UnweighedQuestion(fact, _unweighed_reason(fact), waiting[fact_id]))
        else:
            ranked.append(_weigh(pack, assessment, reach(fact), fact, candidates, own_open))
    ranked.sort(key=lambda q: (-round(q.expected, 9), -q.settled_whatever, q.fact.id))
    unweighed.sort(key=lambda q: (-len(q.waiting), q.fact.id))
    return QuestionRanking(open_findings, ranked, unweighed)


def answer_json(answer: FactValue) -> object:
    """An answer as it would be written in a profile (sets as sorted lists)."""
    return encode_value(answer)
