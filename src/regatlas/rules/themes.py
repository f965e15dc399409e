"""The control-theme and principle vocabularies (packs/themes/), loaded and checked like the rest of the pack."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PackError, Problem
from ..yamlio import load_file


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    effort: float
    # practice: the theme names a practice that a ban can forbid and a duty can require, so a ban in one place and
    # a duty in another sharing it contradict (prohibited_vs_required). Otherwise (the default) the theme names a
    # safeguard, and a ban and a duty sharing it point the same way (prohibited_vs_regulated, a divergence).
    practice: bool = False


DIFFERING_VALUES = ("exclusive", "cumulative")
QUANTITY_KEYS = {"kind", "unit", "title", "differing_values", "divergence"}


@dataclass(frozen=True)
class Quantity:
    id: str
    title: str
    kind: str  # bound | flag | choice
    unit: str | None = None
    # When two places name different values: "exclusive" (no single practice can meet both: a conflict) or
    # "cumulative" (one practice can meet both, at some extra work: a divergence). Bounds are always cumulative:
    # they conflict only where a minimum exceeds a maximum, which the comparison computes from the numbers.
    differing_values: str = "cumulative"
    divergence: str = ""  # the divergence category, e.g. different_deadline (default: different_<id>)

    @property
    def divergence_category(self) -> str:
        return self.divergence or f"different_{self.id}"


@dataclass
class Vocabularies:
    themes: dict[str, Theme] = field(default_factory=dict)
    quantities: dict[str, Quantity] = field(default_factory=dict)
    principles: dict[str, str] = field(default_factory=dict)  # id -> title


def load_vocabularies(folder: Path) -> Vocabularies:
    out = Vocabularies()
    problems: list[Problem] = []
    themes_path = folder / "themes.yaml"
    data, lines = load_file(themes_path)
    for i, raw in enumerate((data or {}).get("themes", [])):
        if (
            not isinstance(raw, dict)
            or not {"id", "title", "effort"} <= set(raw) <= {"id", "title", "effort", "practice"}
            or not isinstance(raw.get("practice", False), bool)
        ):
            problems.append(
                Problem(
                    "a theme has id, title, effort and optionally practice: true|false "
                    "(quote titles that contain commas)",
                    str(themes_path),
                    lines.line(("themes", i)),
                    f"themes[{i}]",
                )
            )
            continue
        out.themes[raw["id"]] = Theme(raw["id"], raw["title"], float(raw["effort"]), raw.get("practice", False))
    for qid, raw in ((data or {}).get("quantities") or {}).items():
        where = (str(themes_path), lines.line(("quantities", qid)))
        if not isinstance(raw, dict) or not set(raw) <= QUANTITY_KEYS:
            extra = sorted(set(raw) - QUANTITY_KEYS) if isinstance(raw, dict) else []
            problems.append(
                Problem(
                    f"quantity {qid!r} has unknown keys {extra} (quote titles that contain commas)",
                    *where,
                    allowed=sorted(QUANTITY_KEYS),
                )
            )
            continue
        kind = raw.get("kind", "bound")
        if kind not in ("bound", "flag", "choice"):
            problems.append(Problem(f"bad quantity kind {kind!r}", *where, allowed=["bound", "flag", "choice"]))
        differing = raw.get("differing_values")
        if differing not in DIFFERING_VALUES:
            problems.append(
                Problem(
                    f"quantity {qid!r} needs differing_values: exclusive (two values cannot both be met: a "
                    f"conflict) or cumulative (both can be met: a divergence), not {differing!r}",
                    *where,
                    allowed=list(DIFFERING_VALUES),
                )
            )
            differing = "cumulative"
        elif kind == "bound" and differing != "cumulative":
            problems.append(
                Problem(
                    f"bound quantity {qid!r} must be cumulative: bounds conflict only where a minimum exceeds a "
                    "maximum, which the comparison computes",
                    *where,
                    allowed=["cumulative"],
                )
            )
        divergence = raw.get("divergence") or ""
        if divergence and not (isinstance(divergence, str) and divergence.startswith("different_")):
            problems.append(Problem(f"divergence of {qid!r} must read different_<what>, not {divergence!r}", *where))
        out.quantities[qid] = Quantity(qid, raw.get("title", qid), kind, raw.get("unit"), differing, divergence)
    principles_path = folder / "principles.yaml"
    pdata, _ = load_file(principles_path)
    out.principles = {p["id"]: p["title"] for p in (pdata or {}).get("principles", [])}
    if problems:
        raise PackError(problems)
    return out


def vocabulary_tables(vocab: Vocabularies) -> str:
    """The Markdown tables of docs/compare.md (a test checks they match the vocabulary)."""
    themes = "\n".join(f"| `{t.id}` | {t.title} | {t.effort:g} |" for t in vocab.themes.values())
    quantities = "\n".join(
        f"| `{q.id}` | {q.kind} | {q.unit or ''} | {q.differing_values} | "
        + ("conflict `exclusive_choices`" if q.differing_values == "exclusive" else f"`{q.divergence_category}`")
        + f" | {q.title} |"
        for q in vocab.quantities.values()
    )
    principles = "\n".join(f"| `{k}` | {t} |" for k, t in vocab.principles.items())
    return (
        "| theme | what it covers | effort |\n|---|---|---|\n" + themes + "\n\n"
        "| quantity | kind | unit | differing values | when two places differ | meaning |\n|---|---|---|---|---|---|\n"
        + quantities
        + "\n\n"
        "| principle | meaning |\n|---|---|\n" + principles + "\n"
    )
