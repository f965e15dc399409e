"""Terminal report: grouped by instrument, prohibitions and high-risk in colour, unknowns with questions."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..engine.assess import Assessment, Finding
from ..engine.explain import Trace
from ..facts.profile import encode_value
from ..facts.vocabulary import Vocabulary
from .sections import not_in_force_text, role_heading, sections, when_text
from .verdict import verdict
from .verdict_text import label, next_text, reason

MARK = {"yes": ("●", "bold"), "no": ("○", "dim"), "unknown": ("?", "yellow")}
KIND_STYLE = {"prohibition": "bold red", "classification": "bold magenta"}
VERDICT_STYLE = {
    "prohibited": "bold red",
    "risk_class": "bold magenta",
    "transparency_duties": "bold",
    "duties": "bold",
    "no_duties": "bold",
    "out_of_scope": "dim",
    "undecided": "bold yellow",
}


def _line(f: Finding, assessment: Assessment, style: str = "") -> Text:
    mark, mark_style = MARK[f.outcome]
    text = Text()
    text.append(f" {mark} ", style=KIND_STYLE.get(f.kind, mark_style) if f.outcome == "yes" else mark_style)
    text.append(f"{f.citation}", style="cyan")
    text.append(f"  {f.title}", style=style or ("" if f.outcome != "no" else "dim"))
    text.append(f"  [{f.outcome.upper()}; {when_text(f, assessment.as_of)}]", style="dim")
    if f.status != "verified":
        text.append(f"  ({f.status})", style="italic yellow")
    if f.outcome == "unknown" and f.missing:
        text.append(
            f"\n      settle with: {', '.join(f.missing[:6])}{' ...' if len(f.missing) > 6 else ''}", style="yellow"
        )
    if f.penalty and f.kind in ("prohibition", "obligation") and f.outcome == "yes":
        text.append(f"\n      penalty {f.penalty.citation}: {f.penalty.describe()}", style="dim")
    return text


def render_text(assessment: Assessment, console: Console, show_all: bool = False, max_questions: int = 10) -> None:
    header = Text()
    header.append(f"{assessment.profile.name}", style="bold")
    header.append(
        f"\nas of {assessment.as_of.isoformat()} · pack {assessment.pack_revision} · decision {assessment.decision_id}",
        style="dim",
    )
    console.print(Panel(header, title="regatlas assessment", expand=False))
    _verdict(assessment, console)
    jurisdiction = None
    if not assessment.instruments:
        console.print(
            Text(
                "\nNo instrument was assessed: none of the pack's instruments is made for the places this "
                "profile names (or for those --jurisdiction/--instrument allowed).",
                style="yellow",
            )
        )
    for section in sections(assessment, show_all):
        if section.jurisdiction != jurisdiction:
            jurisdiction = section.jurisdiction
            console.print(Text(f"\n══ {section.jurisdiction_name} ({jurisdiction})", style="bold reverse"))
        console.print(
            Text(f"\n{section.title}", style="bold underline")
            + Text(f"  {section.force} · {section.status}", style="dim")
        )
        if line := not_in_force_text(section):
            console.print(Text(f" {line}", style="dim italic"))
        for f in section.scope:
            console.print(_line(f, assessment, "bold"))
        if section.prohibitions:
            console.print(Text(" Prohibited practices", style="bold red"))
            for f in section.prohibitions:
                console.print(_line(f, assessment, "red" if f.outcome == "yes" else ""))
        if section.classifications:
            console.print(Text(" Classification", style="bold magenta"))
            for f in section.classifications:
                console.print(_line(f, assessment, "magenta" if f.outcome == "yes" else ""))
        for role, duties in section.duties_by_role.items():
            console.print(Text(f" {role_heading(role, assessment)}", style="bold"))
            for f in duties:
                console.print(_line(f, assessment))
        if section.exemptions:
            console.print(Text(" Exceptions and exemptions", style="bold"))
            for f in section.exemptions:
                console.print(_line(f, assessment))
        if section.not_applying:
            console.print(
                Text(f" {section.not_applying} further rules do not apply (show them with --all)", style="dim")
            )
    _questions(assessment, console, max_questions)


def _verdict(assessment: Assessment, console: Console) -> None:
    """The verdict first: one entry per jurisdiction, before the findings it summarises."""
    v = verdict(assessment)
    if not v.jurisdictions:
        return
    console.print(Text(f"\nVerdict as of {v.as_of.isoformat()}, per jurisdiction (the findings follow)", style="bold"))
    for j in v.jurisdictions:
        line = Text(f" {j.name} ({j.jurisdiction}): ")
        line.append(label(j).upper(), style=VERDICT_STYLE[j.category])
        line.append(f"\n    {reason(j)}")
        if when := next_text(j):
            line.append(f"\n    next change {when}", style="cyan")
        if j.open_findings and j.category != "undecided":
            line.append(f"\n    {j.open_findings} findings still open (listed below)", style="dim")
        console.print(line)


def _questions(assessment: Assessment, console: Console, limit: int) -> None:
    if not assessment.questions:
        console.print(Text("\nEvery finding is settled: no open questions.", style="green"))
        return
    table = Table(title="\nOpen questions, most decisive first", show_lines=False, title_justify="left")
    table.add_column("#", style="dim")
    table.add_column("fact", style="yellow")
    table.add_column("question")
    table.add_column("settles", justify="right")
    for i, q in enumerate(assessment.questions[:limit], 1):
        table.add_row(str(i), q.fact_id, q.question, str(len(q.settles)))
    console.print(table)
    if len(assessment.questions) > limit:
        console.print(Text(f"... and {len(assessment.questions) - limit} more (see --format json)", style="dim"))


def _trace_label(t: Trace, vocabulary: Vocabulary) -> Text:
    value = "unknown" if t.value is None else encode_value(t.value)
    style = "green" if t.value is True else "red" if t.value is False else "yellow" if t.value is None else ""
    text = Text()
    text.append(t.src if len(t.src) < 120 else t.src[:117] + "...")
    if t.kind == "fact":
        text.append(f"  = {value}", style=style or "cyan")
        if t.value is None and t.ref in vocabulary:
            text.append(f"\n  ask: {vocabulary[t.ref].question}", style="yellow")
    elif t.kind in ("lit",):
        return text
    else:
        text.append(f"  → {value}", style=style)
        if t.kind == "rule":
            text.append("  (another rule: regatlas explain PROFILE " + str(t.ref) + ")", style="dim")
    return text


def trace_tree(trace: Trace, vocabulary: Vocabulary, label: str = "condition") -> Tree:
    tree = Tree(Text(label, style="bold"))

    def add(node: Tree, t: Trace) -> None:
        branch = node.add(_trace_label(t, vocabulary))
        if t.kind in ("and", "or", "not", "if", "cmp", "in", "call"):
            for child in t.children:
                if child.kind != "lit":
                    add(branch, child)

    add(tree, trace)
    return tree


def render_explanation(assessment: Assessment, finding: Finding, vocabulary: Vocabulary, console: Console) -> None:
    head = Text()
    head.append(f"{finding.citation}  {finding.title}\n", style="bold")
    head.append(
        f"{finding.key} · {finding.kind} · outcome {finding.outcome.upper()} · {when_text(finding, assessment.as_of)}\n"
    )
    head.append(f"addressed to: {', '.join(finding.addressee) or '(the system)'} · verification: {finding.status}\n")
    head.append(
        f"law as of {assessment.as_of}: wording of {finding.act}, valid {finding.version_from}"
        f" to {finding.version_to or 'today'}\n",
        style="dim",
    )
    head.append(f"source: {finding.url}", style="dim")
    parts: list = [head]
    if finding.note:
        parts.append(Text(f"note: {finding.note}", style="italic"))
    if finding.trace is not None:
        parts.append(trace_tree(finding.trace, vocabulary, "why: the rule's condition"))
    for rid, value in finding.exceptions:
        verdict = {True: "OVERRIDES the rule", False: "does not apply", None: "unknown"}[value]
        parts.append(Text(f"exception {rid}: {verdict}", style="bold" if value else "dim"))
    if finding.missing:
        questions = Text("facts that would settle it:\n", style="yellow")
        for fact in finding.missing:
            questions.append(f"  {fact}: {vocabulary[fact].question}\n")
        parts.append(questions)
    if finding.penalty:
        parts.append(
            Text(f"penalty {finding.penalty.citation} ({finding.penalty.imposed_by}): {finding.penalty.describe()}")
        )
    console.print(Panel(Group(*parts), title="regatlas explain", expand=True))
