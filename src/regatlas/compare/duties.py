"""The duties an assessment found, as comparable units: jurisdiction x theme, with their specs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..engine.assess import Assessment, Finding
from ..rules.model import Spec


@dataclass(frozen=True)
class Duty:
    key: str  # instrument:rule
    jurisdiction: str
    instrument: str
    instrument_title: str
    binding_force: str
    citation: str
    title: str
    kind: str  # obligation | prohibition | permission
    outcome: str  # yes | unknown
    themes: tuple[str, ...]
    specs: tuple[Spec, ...]
    roles: tuple[str, ...]
    applies_from: dt.date | None
    in_effect: bool | None
    holder: bool | None

    @property
    def label(self) -> str:
        return f"{self.instrument_title} {self.citation}"


def _duty(assessment: Assessment, f: Finding) -> Duty:
    loaded = assessment.instruments[f.instrument_id]
    rule = loaded.rules[f.rule_id].rule
    meta = loaded.meta.instrument
    return Duty(
        key=f.key,
        jurisdiction=meta.jurisdiction,
        instrument=f.instrument_id,
        instrument_title=meta.short_title,
        binding_force=meta.binding_force,
        citation=f.citation,
        title=f.title,
        kind=f.kind,
        outcome=f.outcome,
        themes=tuple(rule.themes),
        specs=tuple(rule.specs),
        roles=tuple(f.addressee),
        applies_from=f.applies_from,
        in_effect=f.in_effect,
        holder=f.holder,
    )


def duties(assessment: Assessment, include_unknown: bool = False) -> list[Duty]:
    """Obligations, prohibitions and permissions that hold (and, if asked, those still unknown)."""
    wanted = ("yes", "unknown") if include_unknown else ("yes",)
    return [
        _duty(assessment, f)
        for f in assessment.findings
        if f.kind in ("obligation", "prohibition", "permission") and f.outcome in wanted and not f.moot
    ]
