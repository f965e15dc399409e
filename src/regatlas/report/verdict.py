"""The verdict: the one line per jurisdiction that opens every view of an assessment.

Built once here, as data, from the assessment's own findings; the text, Markdown, HTML and JSON views only
render it. Per jurisdiction whose instruments were assessed, the strongest category that holds on the as-of
date, strongest first:

- prohibited: a ban holds and applies on the date (a ban that applies only later is the next date instead);
- risk_class: a classification the pack marks as a risk tier (``risk_class``: high-risk, high-impact...) holds
  and applies on the date;
- transparency_duties: duties hold and apply, one of them a transparency notice or a content label;
- duties: other duties hold and apply;
- no_duties: a rule reaches the system (its scope holds, or a ban, class or duty holds from some date), but
  nothing applies on the date;
- out_of_scope: nothing reaches the system.

Three-valued: when a stronger category is still possible (an unknown finding that would apply on the date, or
whose date is open), the verdict is ``undecided``, with the category that holds already (``at_least``), the
strongest still possible (``could_be``), the findings that could raise it and the facts that would settle them.
The next date is the first after the as-of date on which a ban, a class, a duty, a scope or another
classification (who supervises, from when fines can be imposed) that holds starts or stops applying; what changes
then is listed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..engine.assess import Assessment, Finding

if TYPE_CHECKING:
    from ..rules.model import Rule

# Categories in rank order, weakest first; "undecided" is not ranked, it names a gap between two ranks.
RANKED = ("out_of_scope", "no_duties", "duties", "transparency_duties", "risk_class", "prohibited")
RANK = {category: rank for rank, category in enumerate(RANKED)}
UNDECIDED = "undecided"
OTHER = "other"  # a change by a conclusion that makes no category (a classification without a risk class)
# A duty of these themes (packs/themes/themes.yaml) tells people they face an AI system or its output.
TRANSPARENCY_THEMES = frozenset({"transparency_notice", "content_labelling"})


@dataclass(frozen=True)
class Cited:
    """A finding the verdict rests on, with what a reader needs to look it up."""

    key: str
    instrument: str
    instrument_title: str
    kind: str
    citation: str
    title: str
    url: str
    applies_from: dt.date | None
    verification: str
    category: str  # the category the finding makes when it holds (prohibited, risk_class, duties...)
    risk_class: str | None = None


@dataclass(frozen=True)
class Change:
    """Something that starts or stops applying on the next date."""

    finding: Cited
    change: str  # starts | ends
    category: str  # the category the finding makes (prohibited, risk_class, duties...), or "other"


@dataclass(frozen=True)
class JurisdictionVerdict:
    jurisdiction: str
    name: str
    category: str  # one of RANKED, or "undecided"
    because: tuple[Cited, ...]  # the findings the category rests on (for undecided: those of at_least)
    risk_classes: tuple[str, ...]  # the risk classes that hold on the date
    at_least: str | None  # undecided: the category that holds already
    could_be: str | None  # undecided: the strongest category still possible
    pending: tuple[Cited, ...]  # undecided: the unknown findings that could make it stronger
    settle_with: tuple[str, ...]  # undecided: the facts that would settle them, most decisive first
    open_findings: int  # unknown findings shown for this jurisdiction, whether or not they change the category
    next_date: dt.date | None
    next_changes: tuple[Change, ...]


@dataclass(frozen=True)
class Verdict:
    as_of: dt.date
    jurisdictions: tuple[JurisdictionVerdict, ...]

    @property
    def next_date(self) -> dt.date | None:
        dates = [j.next_date for j in self.jurisdictions if j.next_date]
        return min(dates) if dates else None


def verdict(assessment: Assessment) -> Verdict:
    """The verdict per jurisdiction, the EU first, then by code (the order of the detailed sections)."""
    by_place: dict[str, list[Finding]] = {}
    for instrument in assessment.instruments.values():
        by_place.setdefault(instrument.meta.instrument.jurisdiction, [])
    for f in assessment.findings:
        if f.shown:
            by_place[assessment.instruments[f.instrument_id].meta.instrument.jurisdiction].append(f)
    order = sorted(by_place, key=lambda code: (code != "EU", code))
    return Verdict(assessment.as_of, tuple(_jurisdiction(assessment, code, by_place[code]) for code in order))


def _rank_of(assessment: Assessment, f: Finding) -> int | None:
    """The category a finding stands for when it holds; None for findings that do not make one."""
    if f.kind == "prohibition":
        return RANK["prohibited"]
    if f.kind == "classification":
        return RANK["risk_class"] if _risk_class(assessment, f) else None
    if f.kind == "obligation":
        transparency = TRANSPARENCY_THEMES & set(_rule(assessment, f).themes)
        return RANK["transparency_duties"] if transparency else RANK["duties"]
    if f.kind == "scope":
        return RANK["no_duties"]
    return None


def _rule(assessment: Assessment, f: Finding) -> Rule:
    return assessment.instruments[f.instrument_id].rules[f.rule_id].rule


def _risk_class(assessment: Assessment, f: Finding) -> str | None:
    return _rule(assessment, f).risk_class


def _held(f: Finding, rank: int) -> bool:
    """Holds on the as-of date: a ban, a class or a duty once it applies; a scope whatever its date."""
    return f.outcome == "yes" and (rank == RANK["no_duties"] or f.in_effect is True)


def _possible(f: Finding, rank: int) -> bool:
    """Could hold on the as-of date: held, or unknown (or of unknown date) and not known to apply only later."""
    if f.outcome == "no":
        return False
    return rank == RANK["no_duties"] or f.in_effect is not False


def _reach(ranked: list[tuple[Finding, int]], outcomes: tuple[str, ...]) -> int:
    """no_duties when a finding of any rank has one of the outcomes: a ban, class or duty that holds from a later
    date reaches the system already (an instrument without a scope rule says so only through them)."""
    reached = any(f.outcome in outcomes for f, _ in ranked)
    return RANK["no_duties"] if reached else RANK["out_of_scope"]


def _cited(assessment: Assessment, f: Finding) -> Cited:
    return Cited(
        key=f.key,
        instrument=f.instrument_id,
        instrument_title=assessment.instruments[f.instrument_id].meta.instrument.short_title,
        kind=f.kind,
        citation=f.citation,
        title=f.title,
        url=f.url,
        applies_from=f.applies_from,
        verification=f.status,
        category=OTHER if (rank := _rank_of(assessment, f)) is None else RANKED[rank],
        risk_class=_risk_class(assessment, f) if f.kind == "classification" else None,
    )


def _jurisdiction(assessment: Assessment, code: str, findings: list[Finding]) -> JurisdictionVerdict:
    ranked = [(f, r) for f in findings if (r := _rank_of(assessment, f)) is not None]
    held_rank = max([r for f, r in ranked if _held(f, r)] + [_reach(ranked, ("yes",))])
    possible_rank = max([r for f, r in ranked if _possible(f, r)] + [held_rank, _reach(ranked, ("yes", "unknown"))])
    because = [f for f, r in ranked if r == held_rank and _held(f, r)]
    if held_rank == RANK["out_of_scope"]:
        because = [f for f in findings if f.kind == "scope" and f.outcome == "no"]  # why not: the scopes that fail
    elif held_rank == RANK["no_duties"] and not because:
        because = [f for f, _ in ranked if f.outcome == "yes"]  # what reaches it from a later date
    # What could make it stronger: an unknown that could hold now above what holds; where nothing reaches the
    # system yet, any unknown, whatever its date (it would reach the system).
    reached = held_rank >= RANK["no_duties"]
    pending = [f for f, r in ranked if f.outcome == "unknown" and ((r > held_rank and _possible(f, r)) or not reached)]
    undecided = possible_rank > held_rank
    # Other conclusions change things too (who supervises, from when fines can be imposed): they date the next
    # change without making a category.
    feeders = _feeding_classes(ranked)
    others = [
        (f, None)
        for f in findings
        if f.kind == "classification" and _rank_of(assessment, f) is None and f.key not in feeders
    ]
    next_date, changes = _next(assessment, [*ranked, *others])
    return JurisdictionVerdict(
        jurisdiction=code,
        name=_place_name(assessment, code),
        category=UNDECIDED if undecided else RANKED[held_rank],
        because=tuple(_cited(assessment, f) for f in _strongest_first(assessment, because)),
        risk_classes=tuple(
            sorted({_risk_class(assessment, f) or "" for f, r in ranked if r == RANK["risk_class"] and _held(f, r)})
        ),
        at_least=RANKED[held_rank] if undecided else None,
        could_be=RANKED[possible_rank] if undecided else None,
        pending=tuple(_cited(assessment, f) for f in _strongest_first(assessment, pending)) if undecided else (),
        settle_with=_settling_facts(pending) if undecided else (),
        open_findings=sum(1 for f in findings if f.outcome == "unknown"),
        next_date=next_date,
        next_changes=tuple(changes),
    )


def _feeding_classes(ranked: list[tuple[Finding, int]]) -> set[str]:
    """The rules a risk class is concluded from (Art. 6(2) for the AI Act's high-risk class): the class says
    their change already, so they are not listed again."""
    refs: set[str] = set()
    stack = [(f.instrument_id, f.trace) for f, r in ranked if r == RANK["risk_class"] and f.trace is not None]
    while stack:
        instrument, t = stack.pop()
        if t.kind == "rule" and t.ref:
            refs.add(f"{instrument}:{t.ref}")
        stack += [(instrument, child) for child in t.children]
    return refs


def _strongest_first(assessment: Assessment, findings: list[Finding]) -> list[Finding]:
    """Bans before classes before duties; within a rank the operator's own first, then the pack's order."""
    own = {True: 0, None: 1, False: 2}
    return sorted(findings, key=lambda f: (-(_rank_of(assessment, f) or 0), own[f.holder]))


def _settling_facts(findings: list[Finding]) -> tuple[str, ...]:
    """The facts the findings miss, those that settle the most of them first."""
    counts = Counter(fact for f in findings for fact in f.missing)
    return tuple(fact for fact, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _place_name(assessment: Assessment, code: str) -> str:
    for instrument in assessment.instruments.values():
        if instrument.meta.instrument.jurisdiction == code and instrument.registry is not None:
            return instrument.registry.name(code)
    return code


def _ends_on(assessment: Assessment, f: Finding) -> dt.date | None:
    """The day a holding finding stops being law: after its wording's last day, when no later wording follows."""
    if f.version_to is None:
        return None
    versions = assessment.instruments[f.instrument_id].rules[f.rule_id].versions
    if any(v.version.valid_from > f.version_to for v in versions):
        return None  # a new wording follows: whether it still holds is the assessment of that later date
    return f.version_to + dt.timedelta(days=1)


def _next(assessment: Assessment, dated: list[tuple[Finding, int | None]]) -> tuple[dt.date | None, list[Change]]:
    """The first date after the as-of date on which something that holds starts or stops applying, and what."""
    events: list[tuple[dt.date, Change]] = []
    for f, rank in dated:
        if f.outcome != "yes":
            continue  # an unknown finding's date is a possibility, not a change: it is among the open questions
        category = OTHER if rank is None else RANKED[rank]
        if f.applies_from is not None and f.applies_from > assessment.as_of:
            events.append((f.applies_from, Change(_cited(assessment, f), "starts", category)))
        ends = _ends_on(assessment, f)
        if ends is not None and ends > assessment.as_of:
            events.append((ends, Change(_cited(assessment, f), "ends", category)))
    if not events:
        return None, []
    first = min(day for day, _ in events)
    # Strongest first; the sort is stable, so within a rank the pack's order (the articles' order) stays.
    changes = sorted((c for day, c in events if day == first), key=lambda c: (-RANK.get(c.category, -1), c.change))
    return first, changes
