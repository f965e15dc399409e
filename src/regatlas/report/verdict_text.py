"""The verdict in words, shared by the text, Markdown and HTML views so that each says the same thing.

Every function returns plain text; a view that links citations passes `cite`, which formats one cited finding
(its default is the citation alone, unlinked).
"""

from __future__ import annotations

from collections.abc import Callable

from .verdict import Change, Cited, JurisdictionVerdict

Cite = Callable[[Cited], str]

LABELS = {
    "prohibited": "prohibited",
    "risk_class": "risk class",
    "transparency_duties": "transparency duties",
    "duties": "duties",
    "no_duties": "in scope, no duty on this date",
    "out_of_scope": "out of scope",
    "undecided": "undecided",
}
SHOWN = 3  # citations named in a line before "and N more"


def short(c: Cited) -> str:
    return c.citation


def label(j: JurisdictionVerdict) -> str:
    """'prohibited', 'high-risk', 'transparency duties', 'undecided'..."""
    if j.category == "risk_class" and j.risk_classes:
        return " and ".join(j.risk_classes)
    return LABELS[j.category]


def category_label(category: str, cited: tuple[Cited, ...] = ()) -> str:
    """A category in words; a risk class by its names when the findings give them."""
    classes = sorted({c.risk_class for c in cited if c.risk_class})
    if category == "risk_class" and classes:
        return " or ".join(classes)
    return LABELS[category]


def _unique(cited: tuple[Cited, ...]) -> list[Cited]:
    """One per citation: a duty addressed to two roles is two findings under one article."""
    seen: dict[str, Cited] = {}
    for c in cited:
        seen.setdefault(f"{c.instrument}:{c.citation}", c)
    return list(seen.values())


def listed(cited: tuple[Cited, ...], cite: Cite = short) -> str:
    """'Art. 50(2), Art. 4 (EU AI Act) and 3 more': the first citations, each instrument named once."""
    unique = _unique(cited)
    groups: dict[str, list[str]] = {}
    for c in unique[:SHOWN]:
        groups.setdefault(c.instrument_title, []).append(cite(c))
    text = "; ".join(f"{', '.join(cites)} ({title})" for title, cites in groups.items())
    return text + (f" and {len(unique) - SHOWN} more" if len(unique) > SHOWN else "")


def _headline(c: Cited, cite: Cite) -> str:
    """A ban or a class in full: its provision, its title, since when, and a reading the pack marks as disputed."""
    marks = [c.instrument_title]
    if c.applies_from is not None:
        marks.append(f"since {c.applies_from.isoformat()}")
    if c.verification != "verified":
        marks.append(c.verification)
    return f"{cite(c)} {c.title} ({', '.join(marks)})"


def reason(j: JurisdictionVerdict, cite: Cite = short) -> str:
    """What the category rests on, or for an undecided one what holds, what could and what would settle it."""
    if j.category == "undecided":
        return _undecided(j, cite)
    if j.category == "out_of_scope":
        return "no rule in force on this date reaches the system"
    if j.category == "no_duties":
        return f"reached by {listed(j.because, cite)}; nothing applies on this date"
    if j.category in ("duties", "transparency_duties"):
        count = len(_unique(j.because))
        return f"{count} dut{'y applies' if count == 1 else 'ies apply'}: {listed(j.because, cite)}"
    first = _unique(j.because)
    more = f"; and {len(first) - 1} more: {listed(tuple(first[1:]), cite)}" if len(first) > 1 else ""
    return _headline(first[0], cite) + more


HOLDS = {
    "out_of_scope": "nothing is known to reach the system",
    "no_duties": "the law reaches the system, no duty applies on this date",
    "duties": "duties apply",
    "transparency_duties": "transparency duties apply",
}


def _undecided(j: JurisdictionVerdict, cite: Cite) -> str:
    at_least, could_be = j.at_least or "out_of_scope", j.could_be or "out_of_scope"
    held = HOLDS.get(at_least) or f"{category_label(at_least, j.because)} holds"
    # Named: the findings that would make the strongest category; counted: all that could change the verdict.
    strongest = tuple(c for c in j.pending if c.category == could_be) or j.pending
    text = f"{held}; could be {category_label(could_be, strongest)}: {listed(strongest, cite)}"
    if len(_unique(j.pending)) > len(_unique(strongest)):
        text += f" ({len(_unique(j.pending))} open findings could change it)"
    if j.settle_with:
        more = len(j.settle_with) - 4
        text += f"; settle with {', '.join(j.settle_with[:4])}" + (f" and {more} more" if more > 0 else "")
    return text


def next_text(j: JurisdictionVerdict, cite: Cite = short) -> str | None:
    """'2027-12-02: high-risk (Art. 6) starts to apply; 19 duties start to apply', or None when nothing is dated."""
    if j.next_date is None:
        return None
    parts: list[str] = []
    for change in ("starts", "ends"):
        chosen = [c for c in j.next_changes if c.change == change]
        parts += _changes(chosen, change, cite)
    return f"{j.next_date.isoformat()}: " + "; ".join(parts)


def _changes(changes: list[Change], change: str, cite: Cite) -> list[str]:
    verb = "starts to apply" if change == "starts" else "stops applying"
    verbs = "start to apply" if change == "starts" else "stop applying"
    out = []
    bans = _unique(tuple(c.finding for c in changes if c.category == "prohibited"))
    out += [f"ban {cite(c)} {verb}" for c in bans]
    classes = _unique(tuple(c.finding for c in changes if c.category == "risk_class"))
    out += [f"{c.risk_class} ({cite(c)}) {verb}" for c in classes]
    duties = _unique(tuple(c.finding for c in changes if c.category in ("duties", "transparency_duties")))
    if len(duties) == 1:
        out.append(f"duty {cite(duties[0])} {verb}")
    elif duties:
        out.append(f"{len(duties)} duties {verbs}: {listed(tuple(duties), cite)}")
    scopes = _unique(tuple(c.finding for c in changes if c.category == "no_duties"))
    out += [f"the scope rule {cite(c)} {verb}" for c in scopes]
    others = _unique(tuple(c.finding for c in changes if c.category == "other"))
    out += [f"{cite(c)} {verb} ({c.title})" for c in others]
    return out
