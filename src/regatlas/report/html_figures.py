"""The report's pictures, drawn in memory: each as inline SVG for the HTML, and as PNG and SVG files for --pictures.

Nothing is written here: the files go back to the caller, which writes them with the report, all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..compare.fragmentation import Comparison
from ..compare.landscape import MIN_PRINCIPLES, Landscape
from ..rules.pack import Pack
from ..world.queries import holds_on

ALIGNMENT_LIMIT = 18


def pictures_of(
    pack: Pack, c: Comparison, ls: Landscape, folder: Path, map_instrument: str
) -> tuple[list[tuple[str, str]], dict[Path, bytes]]:
    """(title, inline SVG) per figure, and the PNG and SVG files under `folder`, drawn in memory."""
    from ..pictures._style import collecting

    with collecting() as files:
        return _figures(pack, c, ls, folder, map_instrument, files), files


def _figures(
    pack: Pack, c: Comparison, ls: Landscape, folder: Path, map_instrument: str, files: dict[Path, bytes]
) -> list[tuple[str, str]]:
    from .. import pictures

    a = c.assessment
    figures: list[tuple[str, str]] = []
    if c.jurisdictions:
        cells = {}
        for (j, t), ds in c.matrix.items():
            if not ds:
                cells[(j, t)] = "not required"
            elif any(d.in_effect for d in ds):
                cells[(j, t)] = "required now"
            else:
                cells[(j, t)] = "required later"
        paths = pictures.theme_heatmap(
            c.jurisdictions, c.themes, cells, "Duties by jurisdiction and theme", folder / "themes"
        )
        figures.append(("Which themes each jurisdiction requires of this system", _svg(files, paths)))
        grouped: dict[tuple[str, dt.date], list[str]] = {}
        for d in c.duties:
            if d.applies_from and d.kind == "obligation":
                grouped.setdefault((d.jurisdiction, d.applies_from), []).append(d.citation)
        # One point per jurisdiction and date, so duties that start together do not overprint each other.
        items = [
            (j, ", ".join(sorted(set(cites))) if len(set(cites)) <= 2 else f"{len(cites)} duties", day)
            for (j, day), cites in sorted(grouped.items())
        ]
        paths = pictures.timeline(items, "When each duty applies", folder / "timeline", today=a.as_of)
        figures.append(("When each duty applies, by jurisdiction (the line is the as-of date)", _svg(files, paths)))
    inst = pack.instruments.get(map_instrument)
    if inst is not None:
        parties = {
            p.party: p.participation
            for p in inst.meta.instrument.parties
            if p.kind != "company" and holds_on(p, a.as_of, dt.date.today())  # undated: only from today on
        }
        # Countries and the EU have a shape; organisations such as the AUC are named in the caption instead.
        mappable = {k: v for k, v in parties.items() if k == "EU" or pack.registry.places[k].kind == "country"}
        others = ", ".join(f"{pack.registry.name(k)} ({v})" for k, v in sorted(parties.items()) if k not in mappable)
        paths = pictures.world_map(mappable, inst.meta.instrument.short_title, folder / "map", pack.registry, a.as_of)
        caption = f"Parties to the {inst.meta.instrument.short_title} as of {a.as_of}"
        figures.append((caption + (f"; also {others}" if others else ""), _svg(files, paths)))
    chosen = [i for i in ls.aligned if pack.instruments[i].meta.instrument.jurisdiction == "INTL"]
    chosen += [
        i for i in ls.aligned if i not in chosen and pack.instruments[i].meta.instrument.binding_force == "binding_law"
    ][: max(0, ALIGNMENT_LIMIT - len(chosen))]
    chosen = chosen[:ALIGNMENT_LIMIT]
    if len(chosen) > 1:
        matrix = [[ls.alignment[(x, y)] for y in chosen] for x in chosen]
        labels = [pack.instruments[i].meta.instrument.short_title for i in chosen]
        sizes = [len(ls.principles[i]) for i in chosen]
        title = "Alignment of principles (Jaccard)"
        paths = pictures.alignment_heatmap(
            labels, matrix, title, folder / "alignment", sizes=sizes, min_size=MIN_PRINCIPLES
        )
        caption = "How far instruments agree on principles (in brackets: how many principles each names)"
        figures.append((caption, _svg(files, paths)))
    return figures


def _svg(files: dict[Path, bytes], paths: list[Path]) -> str:
    """A picture's SVG as inline markup (without its XML prologue), ids made unique per figure."""
    path = next(p for p in paths if p.suffix == ".svg")
    return inline_svg(files[path].decode("utf-8"), path.stem.replace(".", "_"))


def inline_svg(text: str, prefix: str) -> str:
    """SVG text as inline markup: no XML prologue or doctype, every id (and reference to one) prefixed."""
    text = re.sub(r"^<\?xml[^>]*>\s*", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    text = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', text)
    return re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", text).replace(
        'xlink:href="#', f'xlink:href="#{prefix}-'
    )
