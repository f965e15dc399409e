"""One self-contained HTML report (no external requests: pictures are inline SVG), and a PDF of it.

Sections: the assessment by jurisdiction and instrument, the open questions, the comparison (matrix,
common core, minimal control set, conflicts, fragmentation index), and four pictures: the themes heatmap and
the duty timeline for this system, the parties of an instrument on a world map, and the alignment of
instruments' principles.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from html import escape
from pathlib import Path

from ..compare.fragmentation import Comparison
from ..compare.landscape import Landscape
from ..engine.assess import Assessment, Finding
from ..errors import Problem, RegatlasError
from ..rules.loader import Pack
from .sections import not_in_force_text, role_heading, sections, when_text

CSS = """
body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;color:#222;line-height:1.4}
h1{font-size:1.6em} h2{border-bottom:2px solid #333;padding-bottom:.2em;margin-top:2em} h3{margin-bottom:.3em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:.85em}
th,td{border:1px solid #bbb;padding:.25em .4em;vertical-align:top;text-align:left}
th{background:#eee} .yes{color:#0a5} .unknown{color:#b70} .ban{color:#c00;font-weight:bold}
.meta{color:#666;font-size:.9em} .figure{margin:1em 0;page-break-inside:avoid} .figure svg{max-width:100%;height:auto}
.note{font-size:.85em;color:#555}
"""
ALIGNMENT_LIMIT = 18
MAP_INSTRUMENT = "intl_paris_2025"


def _svg(path: Path) -> str:
    """An SVG file as inline markup (without its XML prologue), ids made unique per figure."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^<\?xml[^>]*>\s*", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    prefix = path.stem.replace(".", "_")
    text = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', text)
    return re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", text).replace(
        'xlink:href="#', f'xlink:href="#{prefix}-'
    )


def _finding_rows(findings: list[Finding], as_of: dt.date) -> str:
    rows = []
    for f in findings:
        css = "ban" if f.kind == "prohibition" and f.outcome == "yes" else f.outcome
        settle = ", ".join(f.missing) if f.outcome == "unknown" else ""
        rows.append(
            f"<tr><td><a href='{escape(f.url)}'>{escape(f.citation)}</a></td><td>{escape(f.title)}"
            f"{' <i>(' + f.status + ')</i>' if f.status != 'verified' else ''}</td>"
            f"<td class='{css}'>{f.outcome.upper()}</td><td>{escape(when_text(f, as_of))}</td>"
            f"<td>{escape(settle)}</td></tr>"
        )
    return (
        "<table><tr><th>provision</th><th>finding</th><th>outcome</th><th>when</th><th>facts that would settle it"
        "</th></tr>" + "".join(rows) + "</table>"
    )


def _assessment_html(a: Assessment) -> str:
    parts = []
    current = None
    for s in sections(a):
        if s.jurisdiction != current:
            current = s.jurisdiction
            parts.append(f"<h3>{escape(s.jurisdiction_name)} ({escape(current)})</h3>")
        parts.append(
            f"<p><b>{escape(s.title)}</b> <span class='meta'>{escape(s.force)} · {escape(s.status)}</span></p>"
        )
        if note := not_in_force_text(s):
            parts.append(f"<p class='note'>{escape(note)}</p>")
        groups = [("Scope", s.scope), ("Prohibited practices", s.prohibitions), ("Classification", s.classifications)]
        groups += [(role_heading(role, a), duties) for role, duties in s.duties_by_role.items()]
        for title, findings in groups:
            if findings:
                parts.append(f"<p><i>{escape(title)}</i></p>" + _finding_rows(findings, a.as_of))
        if s.not_applying:
            parts.append(f"<p class='note'>{s.not_applying} further rules do not apply.</p>")
    if a.questions:
        rows = "".join(
            f"<tr><td>{escape(q.fact_id)}</td><td>{escape(q.question)}</td><td>{len(q.settles)}</td></tr>"
            for q in a.questions
        )
        parts.append(
            "<h3>Open questions, most decisive first</h3><table><tr><th>fact</th><th>question</th>"
            f"<th>settles</th></tr>{rows}</table>"
        )
    return "".join(parts)


def _comparison_html(c: Comparison) -> str:
    if not c.jurisdictions:
        return "<p>No duty applies in any assessed jurisdiction: nothing to compare.</p>"
    head = "".join(f"<th>{escape(j)}</th>" for j in c.jurisdictions)
    rows = []
    for t in c.themes:
        cells = []
        for j in c.jurisdictions:
            ds = c.matrix[(j, t)]
            cells.append(
                "<td>"
                + "<br>".join(
                    f"{escape(d.citation)} ({d.applies_from or '?'}; {escape(', '.join(d.roles) or '-')})" for d in ds
                )
                + "</td>"
            )
        star = " ★" if t in c.common_core else ""
        rows.append(f"<tr><th>{escape(t.replace('_', ' '))}{star}</th>{''.join(cells)}</tr>")
    controls = "".join(
        f"<tr><td>{escape(x.title)}</td><td>{len(x.serves)}</td><td>{escape(', '.join(x.jurisdictions))}</td>"
        f"<td>{escape('; '.join(x.spec_parts()))}</td>"
        f"<td>{escape(x.how())}</td></tr>"
        for x in c.controls
    )
    conflicts = (
        "".join(
            f"<tr><td>{escape(x.kind.replace('_', ' '))}</td><td>{escape(x.theme)}</td><td>{escape(x.explanation)}</td>"
            f"<td>{escape(x.a.label)}<br>{escape(x.b.label)}</td></tr>"
            for x in c.conflicts
        )
        or "<tr><td colspan='4'>None found.</td></tr>"
    )
    specific = "".join(f"<li>only in {escape(j)}: {escape(', '.join(ts))}</li>" for j, ts in c.specific.items())
    return (
        f"<table><tr><th>theme</th>{head}</tr>{''.join(rows)}</table>"
        f"<p><b>Common core</b> (★, required everywhere compared): {escape(', '.join(c.common_core) or 'none')}</p>"
        f"<ul>{specific}</ul>"
        f"<p><b>Fragmentation index: {c.index:.2f}</b> over {c.units} duty units: the share of effort-weighted "
        "duties outside the common core (0 = every jurisdiction asks the same, 1 = nothing in common).</p>"
        f"<h3>Minimal control set ({len(c.controls)} controls)</h3><table><tr><th>control</th><th>duties served</th>"
        f"<th>where</th><th>specification</th><th>why separate / how</th></tr>{controls}</table>"
        "<h3>Conflicts and tensions</h3><table><tr><th>kind</th><th>theme</th><th>what</th><th>provisions</th></tr>"
        f"{conflicts}</table>"
    )


def _pictures(pack: Pack, c: Comparison, ls: Landscape, folder: Path, map_instrument: str) -> list[tuple[str, str]]:
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
        figures.append(("Which themes each jurisdiction requires of this system", _svg(_svg_of(paths))))
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
        figures.append(("When each duty applies, by jurisdiction (the line is the as-of date)", _svg(_svg_of(paths))))
    inst = pack.instruments.get(map_instrument)
    if inst is not None:
        parties = {
            p.party: p.participation
            for p in inst.meta.instrument.parties
            if p.kind != "company" and (p.date is None or p.date <= a.as_of)
        }
        # Countries and the EU have a shape; organisations such as the AUC are named in the caption instead.
        mappable = {k: v for k, v in parties.items() if k == "EU" or pack.registry.places[k].kind == "country"}
        others = ", ".join(f"{pack.registry.name(k)} ({v})" for k, v in sorted(parties.items()) if k not in mappable)
        paths = pictures.world_map(mappable, inst.meta.instrument.short_title, folder / "map", pack.registry, a.as_of)
        caption = f"Parties to the {inst.meta.instrument.short_title} as of {a.as_of}"
        figures.append((caption + (f"; also {others}" if others else ""), _svg(_svg_of(paths))))
    chosen = [i for i in ls.aligned if pack.instruments[i].meta.instrument.jurisdiction == "INTL"]
    chosen += [
        i for i in ls.aligned if i not in chosen and pack.instruments[i].meta.instrument.binding_force == "binding_law"
    ][: max(0, ALIGNMENT_LIMIT - len(chosen))]
    chosen = chosen[:ALIGNMENT_LIMIT]
    if len(chosen) > 1:
        matrix = [[ls.alignment[(x, y)] for y in chosen] for x in chosen]
        labels = [pack.instruments[i].meta.instrument.short_title for i in chosen]
        paths = pictures.alignment_heatmap(labels, matrix, "Alignment of principles (Jaccard)", folder / "alignment")
        figures.append(("How far instruments agree on principles", _svg(_svg_of(paths))))
    return figures


def _svg_of(paths: list[Path]) -> Path:
    return next(p for p in paths if p.suffix == ".svg")


def render_html(
    pack: Pack, c: Comparison, ls: Landscape, map_instrument: str = MAP_INSTRUMENT, pictures_dir: Path | None = None
) -> str:
    """The report; with pictures_dir, its pictures are also kept there as PNG and SVG files."""
    a = c.assessment
    if pictures_dir is not None:
        figures = _pictures(pack, c, ls, pictures_dir, map_instrument)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            figures = _pictures(pack, c, ls, Path(tmp), map_instrument)
    figure_html = "".join(f"<div class='figure'><p><b>{escape(title)}</b></p>{svg}</div>" for title, svg in figures)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>regatlas report: {escape(a.profile.name)}</title>
<style>{CSS}</style></head><body>
<h1>regatlas report: {escape(a.profile.name)}</h1>
<p class="meta">Law as of {a.as_of} · pack revision {a.pack_revision} · decision {a.decision_id} ·
engine {a.engine_version}. Every conclusion cites its provision; an unknown names the facts that would settle it.
This report is reproducible from the pack revision, the date and the profile.</p>
<p>{escape(a.profile.description)}</p>
<h2>1. Assessment</h2>{_assessment_html(a)}
<h2>2. Comparison across jurisdictions</h2>{_comparison_html(c)}
<h2>3. Pictures</h2>{figure_html}
<p class="note">Map geometry: Natural Earth admin-0 countries (public domain); see docs/map-data.md.</p>
</body></html>
"""


def write_pdf(html: str, path: Path) -> None:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the Pango system library is missing
        raise RegatlasError(
            Problem(f"PDF output needs WeasyPrint and the Pango library: {exc}", path="--pdf")
        ) from None
    HTML(string=html).write_pdf(str(path))
