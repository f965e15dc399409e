"""How findings are grouped for reading, shared by the text and Markdown reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..engine.assess import Assessment, Finding, NotInForce
from ..world.status import describe_status, force_label

ROLE_ORDER = ["provider", "deployer", "importer", "distributor", "authorised_representative", "product_manufacturer"]


@dataclass
class InstrumentSection:
    instrument_id: str
    title: str
    binding_force: str
    jurisdiction: str
    jurisdiction_name: str
    status: str
    scope: list[Finding] = field(default_factory=list)
    prohibitions: list[Finding] = field(default_factory=list)
    classifications: list[Finding] = field(default_factory=list)
    duties_by_role: dict[str, list[Finding]] = field(default_factory=dict)
    exemptions: list[Finding] = field(default_factory=list)
    not_applying: int = 0
    not_in_force: list[NotInForce] = field(default_factory=list)

    @property
    def force(self) -> str:
        return force_label(self.binding_force)


def _shown(f: Finding, show_all: bool) -> bool:
    return show_all or f.outcome != "no"


def sections(assessment: Assessment, show_all: bool = False) -> list[InstrumentSection]:
    """One section per instrument, ordered by jurisdiction (the EU first, then by code)."""
    out = []
    ordered = sorted(
        assessment.instruments.items(),
        key=lambda kv: (kv[1].meta.instrument.jurisdiction != "EU", kv[1].meta.instrument.jurisdiction, kv[0]),
    )
    for iid, instrument in ordered:
        meta = instrument.meta.instrument
        registry = instrument.registry
        section = InstrumentSection(
            iid,
            meta.short_title,
            meta.binding_force,
            meta.jurisdiction,
            registry.name(meta.jurisdiction) if registry else meta.jurisdiction,
            describe_status(meta, assessment.as_of),
        )
        section.not_in_force = [n for n in assessment.not_in_force if n.instrument_id == iid]
        for f in assessment.findings:
            if f.instrument_id != iid or not f.shown:
                continue
            if not _shown(f, show_all):
                section.not_applying += 1
                continue
            if f.kind == "scope":
                section.scope.append(f)
            elif f.kind == "prohibition":
                section.prohibitions.append(f)
            elif f.kind == "classification":
                section.classifications.append(f)
            elif f.kind == "obligation":
                for role in f.addressee or ["any"]:
                    section.duties_by_role.setdefault(role, []).append(f)
            else:
                section.exemptions.append(f)
        section.duties_by_role = dict(
            sorted(
                section.duties_by_role.items(), key=lambda kv: ROLE_ORDER.index(kv[0]) if kv[0] in ROLE_ORDER else 99
            )
        )
        out.append(section)
    return out


def when_text(f: Finding, as_of: dt.date) -> str:
    """'applies since 2025-02-02', 'applies from 2027-12-02', or why the date is unknown."""
    if f.outcome == "no":
        return "does not apply"
    if f.applies_from is None:
        return "application date unknown"
    if f.outcome == "unknown":
        return f"if so, applies {'since' if f.applies_from <= as_of else 'from'} {f.applies_from.isoformat()}"
    if f.applies_from <= as_of:
        return f"applies since {f.applies_from.isoformat()}"
    return f"applies from {f.applies_from.isoformat()}"


def role_heading(role: str, assessment: Assessment) -> str:
    """'Duties of the provider (you)', '... (another party in the value chain)', or a duty with no addressee."""
    if role == "any":
        return "Duties attached to the activity, whoever carries it out"
    roles = assessment.profile.facts.get("operator.roles")
    label = role.replace("_", " ")
    if roles is None:
        return f"Duties of the {label} (whether you hold this role is unknown)"
    whose = "you" if role in roles else "another party in the value chain"
    return f"Duties of the {label} ({whose})"


def not_in_force_text(section: InstrumentSection) -> str | None:
    """One line on the rules of an instrument that are not law on the date, with when they were or will be."""
    if not section.not_in_force:
        return None
    ended = sorted({n.ended for n in section.not_in_force if n.ended})
    later = sorted({n.next_from for n in section.not_in_force if n.next_from})
    parts = []
    if ended:
        parts.append(f"no longer in force (last day {ended[-1]})")
    if later:
        parts.append(f"not yet law (from {later[0]})")
    return f"{len(section.not_in_force)} rules " + " / ".join(parts or ["not in force on this date"])
