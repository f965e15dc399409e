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


@dataclass(frozen=True)
class Quantity:
    id: str
    title: str
    kind: str  # bound | flag | choice
    unit: str | None = None


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
        if not isinstance(raw, dict) or set(raw) != {"id", "title", "effort"}:
            problems.append(
                Problem(
                    "a theme has exactly id, title and effort (quote titles that contain commas)",
                    str(themes_path),
                    lines.line(("themes", i)),
                    f"themes[{i}]",
                )
            )
            continue
        out.themes[raw["id"]] = Theme(raw["id"], raw["title"], float(raw["effort"]))
    for qid, raw in ((data or {}).get("quantities") or {}).items():
        kind = raw.get("kind", "bound")
        if kind not in ("bound", "flag", "choice"):
            problems.append(
                Problem(
                    f"bad quantity kind {kind!r}",
                    str(themes_path),
                    lines.line(("quantities", qid)),
                    allowed=["bound", "flag", "choice"],
                )
            )
        out.quantities[qid] = Quantity(qid, raw.get("title", qid), kind, raw.get("unit"))
    principles_path = folder / "principles.yaml"
    pdata, _ = load_file(principles_path)
    out.principles = {p["id"]: p["title"] for p in (pdata or {}).get("principles", [])}
    if problems:
        raise PackError(problems)
    return out


def vocabulary_tables(vocab: Vocabularies) -> str:
    """The Markdown tables of docs/compare.md (a test checks they match the vocabulary)."""
    themes = "\n".join(f"| `{t.id}` | {t.title} | {t.effort:g} |" for t in vocab.themes.values())
    quantities = "\n".join(f"| `{q.id}` | {q.kind} | {q.unit or ''} | {q.title} |" for q in vocab.quantities.values())
    principles = "\n".join(f"| `{k}` | {t} |" for k, t in vocab.principles.items())
    return (
        "| theme | what it covers | effort |\n|---|---|---|\n" + themes + "\n\n"
        "| quantity | kind | unit | meaning |\n|---|---|---|---|\n" + quantities + "\n\n"
        "| principle | meaning |\n|---|---|\n" + principles + "\n"
    )
