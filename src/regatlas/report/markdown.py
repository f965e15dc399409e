"""Markdown report of an assessment, for tickets, wikis and pull requests."""

from __future__ import annotations

from ..engine.assess import Assessment, Finding
from .sections import not_in_force_text, role_heading, sections, when_text
from .verdict import Cited, verdict
from .verdict_text import label, next_text, reason

ICON = {"yes": "**YES**", "no": "no", "unknown": "*unknown*"}


def _row(f: Finding, assessment: Assessment) -> str:
    settle = ", ".join(f"`{m}`" for m in f.missing) if f.outcome == "unknown" else ""
    status = "" if f.status == "verified" else f" ({f.status})"
    return (
        f"| [{f.citation}]({f.url}) | {f.title}{status} | {ICON[f.outcome]} | "
        f"{when_text(f, assessment.as_of)} | {settle} |"
    )


def _table(title: str, findings: list[Finding], assessment: Assessment) -> list[str]:
    if not findings:
        return []
    return [
        f"#### {title}",
        "",
        "| provision | finding | outcome | when | facts that would settle it |",
        "|---|---|---|---|---|",
        *(_row(f, assessment) for f in findings),
        "",
    ]


def _cell(text: str) -> str:
    """Table cell text: a pipe would end the cell."""
    return text.replace("|", "\\|")


def _link(c: Cited) -> str:
    return f"[{c.citation}]({c.url})"


def _verdict(assessment: Assessment) -> list[str]:
    """The verdict first: one row per jurisdiction, before the findings it summarises."""
    v = verdict(assessment)
    if not v.jurisdictions:
        return []
    lines = [
        f"## Verdict as of {v.as_of.isoformat()}",
        "",
        "| jurisdiction | verdict | why | next change |",
        "|---|---|---|---|",
    ]
    for j in v.jurisdictions:
        lines.append(
            f"| {_cell(j.name)} ({j.jurisdiction}) | **{_cell(label(j))}** | {_cell(reason(j, _link))} | "
            f"{_cell(next_text(j, _link) or 'none dated')} |"
        )
    return [*lines, ""]


def render_markdown(assessment: Assessment, show_all: bool = False) -> str:
    lines = [
        f"# regatlas assessment: {assessment.profile.name}",
        "",
        f"As of **{assessment.as_of.isoformat()}** · pack revision `{assessment.pack_revision}` · "
        f"decision `{assessment.decision_id}` · engine {assessment.engine_version}",
        "",
        *_verdict(assessment),
    ]
    jurisdiction = None
    if not assessment.instruments:
        lines += ["_No instrument was assessed: none is made for the places this profile names._", ""]
    for section in sections(assessment, show_all):
        if section.jurisdiction != jurisdiction:
            jurisdiction = section.jurisdiction
            lines += [f"## {section.jurisdiction_name} ({jurisdiction})", ""]
        lines += [f"### {section.title}", "", f"_{section.force}; {section.status}_", ""]
        if note := not_in_force_text(section):
            lines += [f"_{note}._", ""]
        lines += _table("Scope", section.scope, assessment)
        lines += _table("Prohibited practices", section.prohibitions, assessment)
        lines += _table("Classification", section.classifications, assessment)
        for role, duties in section.duties_by_role.items():
            lines += _table(role_heading(role, assessment), duties, assessment)
        lines += _table("Exceptions and exemptions", section.exemptions, assessment)
        if section.not_applying:
            lines += [f"_{section.not_applying} further rules do not apply._", ""]
    if assessment.questions:
        lines += ["## Open questions, most decisive first", "", "| fact | question | settles |", "|---|---|---|"]
        lines += [f"| `{q.fact_id}` | {q.question} | {len(q.settles)} |" for q in assessment.questions]
        lines.append("")
    return "\n".join(lines)
