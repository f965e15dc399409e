"""One self-contained HTML report (no external requests: pictures are inline SVG), and a PDF of it.

Sections: the assessment by jurisdiction and instrument, the open questions, the comparison (matrix,
common core, minimal control set, conflicts, divergences, fragmentation index), and four pictures: the themes
heatmap and the duty timeline for this system, the parties of an instrument on a world map, and the alignment of
instruments' principles (with the number of principles behind each). Given a simulation over a population, a
last section gives the baseline's headline figures and, per scenario, what changes, with its picture.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from pathlib import Path

from ..compare.conflicts import Conflict
from ..compare.duties import Duty
from ..compare.fragmentation import Comparison
from ..compare.landscape import Landscape
from ..engine.assess import Assessment, Finding
from ..errors import Problem, RegatlasError
from ..rules.pack import Pack
from .compare_report import CONFLICTS_TITLE, DIVERGENCES_TITLE
from .html_figures import inline_svg, pictures_of
from .sections import not_in_force_text, role_heading, sections, when_text
from .verdict import Cited, JurisdictionVerdict, verdict
from .verdict_text import label, next_text, reason

CSS = """
body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 .6em;color:#222;
line-height:1.4;overflow-wrap:break-word}
h1{font-size:1.6em} h2{border-bottom:2px solid #333;padding-bottom:.2em;margin-top:2em} h3{margin-bottom:.3em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:.85em}
th,td{border:1px solid #bbb;padding:.25em .4em;vertical-align:top;text-align:left}
th{background:#eee} .yes{color:#0a5} .unknown{color:#b70} .ban{color:#c00;font-weight:bold}
.meta{color:#666;font-size:.9em} .figure{margin:1em 0;page-break-inside:avoid} .figure svg{max-width:100%;height:auto}
.note{font-size:.85em;color:#555}
.verdict dt{font-weight:bold;margin-top:.6em} .verdict dd{margin:.1em 0 0 1em}
.v-prohibited{color:#c00} .v-risk_class{color:#a0a} .v-undecided{color:#b70} .v-out_of_scope{color:#666}
@media screen and (max-width:700px){
body{margin:1em auto;font-size:.95em}
table{display:block;overflow-x:auto;max-width:100%}
td,th{min-width:3em}
}
"""
MAP_INSTRUMENT = "intl_paris_2025"


def _breakable(text: str) -> str:
    """Fact ids with places to break a line after their dots and underscores (a narrow screen cannot fit
    system.intended_for_public_authorities on one line of a table cell)."""
    return re.sub(r"([._])", r"\1<wbr>", escape(text))


def _finding_rows(findings: list[Finding], as_of: dt.date) -> str:
    rows = []
    for f in findings:
        css = "ban" if f.kind == "prohibition" and f.outcome == "yes" else f.outcome
        settle = ", ".join(f.missing) if f.outcome == "unknown" else ""
        rows.append(
            f"<tr><td><a href='{escape(f.url)}'>{escape(f.citation)}</a></td><td>{escape(f.title)}"
            f"{' <i>(' + f.status + ')</i>' if f.status != 'verified' else ''}</td>"
            f"<td class='{css}'>{f.outcome.upper()}</td><td>{escape(when_text(f, as_of))}</td>"
            f"<td>{_breakable(settle)}</td></tr>"
        )
    return (
        "<table><tr><th>provision</th><th>finding</th><th>outcome</th><th>when</th><th>facts that would settle it"
        "</th></tr>" + "".join(rows) + "</table>"
    )


def _link(c: Cited) -> str:
    return f"<a href='{escape(c.url)}'>{escape(c.citation)}</a>"


def verdict_html(a: Assessment) -> str:
    """The verdict, the report's first section: per jurisdiction what holds on the date, and the next change."""
    v = verdict(a)
    if not v.jurisdictions:
        return "<p>No instrument was assessed: none is made for the places this profile names.</p>"
    items = []
    for j in v.jurisdictions:
        # The texts are escaped before the links go in: citations link to their provision's text.
        why = _linked(reason(j, _marker), j)
        when = next_text(j, _marker)
        items.append(
            f"<dt>{escape(j.name)} ({escape(j.jurisdiction)}): <span class='v-{j.category}'>"
            f"{escape(label(j).upper())}</span></dt><dd>{why}</dd>"
            + (f"<dd class='meta'>next change {_linked(when, j)}</dd>" if when else "")
        )
    return f"<dl class='verdict'>{''.join(items)}</dl>"


def _marker(c: Cited) -> str:
    """A placeholder for a citation in the verdict's words, replaced by its link once the words are escaped."""
    return f"\x00{c.key}\x00"


def _linked(text: str, j: JurisdictionVerdict) -> str:
    cited = {c.key: c for c in (*j.because, *j.pending, *(x.finding for x in j.next_changes))}
    parts = escape(text).split("\x00")
    # Odd parts are finding keys between markers.
    return "".join(_link(cited[p]) if i % 2 else p for i, p in enumerate(parts))


def assessment_html(a: Assessment) -> str:
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


def _side_html(d: Duty, urls: dict[str, str]) -> str:
    where = f" <span class='meta'>({escape(d.jurisdiction)})</span>"
    url = urls.get(d.key)
    return (f"<a href='{escape(url)}'>{escape(d.label)}</a>" if url else escape(d.label)) + where


def _pairs_html(pairs: list[Conflict], urls: dict[str, str], empty: str) -> str:
    """Conflicts or divergences: one row per pair, both provisions cited (linked to their text)."""
    if not pairs:
        return f"<p>{escape(empty)}</p>"
    rows = "".join(
        f"<tr><td>{escape(x.category.replace('_', ' '))}</td><td>{escape(x.theme.replace('_', ' '))}</td>"
        f"<td>{escape(x.explanation)}</td><td>{_side_html(x.a, urls)}</td><td>{_side_html(x.b, urls)}</td></tr>"
        for x in pairs
    )
    return (
        "<table><tr><th>category</th><th>theme</th><th>what</th><th>one side</th><th>other side</th></tr>"
        f"{rows}</table>"
    )


def comparison_html(c: Comparison) -> str:
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
    urls = {f.key: f.url for f in c.assessment.findings}
    conflicts = _pairs_html(c.conflicts, urls, "No conflicts found between the applicable duties.")
    divergences = _pairs_html(c.divergences, urls, "No divergences found between the applicable duties.")
    specific = "".join(f"<li>only in {escape(j)}: {escape(', '.join(ts))}</li>" for j, ts in c.specific.items())
    return (
        f"<table><tr><th>theme</th>{head}</tr>{''.join(rows)}</table>"
        f"<p><b>Common core</b> (★, required everywhere compared): {escape(', '.join(c.common_core) or 'none')}</p>"
        f"<ul>{specific}</ul>"
        f"<p><b>Fragmentation index: {c.index:.2f}</b> over {c.units} duty units: the share of effort-weighted "
        "duties outside the common core (0 = every jurisdiction asks the same, 1 = nothing in common).</p>"
        f"<h3>Minimal control set ({len(c.controls)} controls)</h3><table><tr><th>control</th><th>duties served</th>"
        f"<th>where</th><th>specification</th><th>why separate / how</th></tr>{controls}</table>"
        f"<h3>{escape(CONFLICTS_TITLE)} ({len(c.conflicts)})</h3>{conflicts}"
        f"<h3>{escape(DIVERGENCES_TITLE)} ({len(c.divergences)})</h3>{divergences}"
    )


def place_name(pack: Pack, code: str) -> str:
    """A jurisdiction's name for a picture: "California, United States" for a place inside a country."""
    place = pack.registry.places.get(code)
    if place is None or place.parent is None:
        return pack.registry.name(code)
    return f"{place.name}, {pack.registry.name(pack.registry.ancestors(code)[-1])}"


def _pct(value: float) -> str:
    return f"{value:.1%}"


# The before/after table of a scenario: (label, fragmentation key, format).
SCENARIO_ROWS: tuple[tuple[str, str, str], ...] = (
    ("systems with at least one duty", "systems_with_duties_share", "pct"),
    ("systems bound in several jurisdictions", "systems_in_several_jurisdictions_share", "pct"),
    ("duty units outside the common core, per system", "outside_core_per_system", "2f"),
    ("divergences per system", "divergences_per_system", "3f"),
    ("mean fragmentation index (systems with duties)", "mean_index_bound", "3f"),
    ("compliance effort per system and year", "effort_eur_per_system", "eur"),
)


def _figure(value: float, how: str) -> str:
    if how == "pct":
        return _pct(value)
    if how == "eur":
        return f"EUR {value:,.0f}"
    return f"{value:.{how[0]}f}"


def _change(before: float, after: float, how: str) -> str:
    delta = after - before
    if how == "pct":
        return f"{100 * delta:+.1f} points"
    if how == "eur":
        return f"{delta:+,.0f} ({delta / before:+.0%})" if before else f"{delta:+,.0f}"
    return f"{delta:+.{how[0]}f}"


def _scenario_table(sc: dict, total: float) -> str:
    before, after = sc["baseline_fragmentation"], sc["fragmentation"]
    rows = [
        f"<tr><td>{escape(label)}</td><td>{_figure(before[key], how)}</td><td>{_figure(after[key], how)}</td>"
        f"<td>{escape(_change(before[key], after[key], how))}</td></tr>"
        for label, key, how in SCENARIO_ROWS
    ]
    d = sc["duties"]
    rows.append(
        f"<tr><td>obligations added / removed per system</td><td></td><td>{d['added_per_system']:.2f} / "
        f"{d['removed_per_system']:.2f}</td><td></td></tr>"
    )
    moved = sc["transitions"]["findings"]
    if moved and total:
        # Effort and duty counts do not see a duty move from "applies later" to "applies now": this row does.
        top = moved[0]
        rows.append(
            f"<tr><td>the finding that changes for most systems</td><td></td><td>{escape(top['title'])} "
            f"<span class='meta'>({escape(top['jurisdiction'])})</span></td>"
            f"<td>{_pct(top['changed_systems'] / total)} of systems</td></tr>"
        )
    return (
        "<table><tr><th>measure</th><th>baseline</th><th>scenario</th><th>change</th></tr>" + "".join(rows) + "</table>"
    )


def scenario_pictures(pack: Pack, simulation: dict) -> list[tuple[str, bytes, str]]:
    """Each scenario's picture: (file stem, PNG bytes, SVG text), stems unique and safe as file names."""
    from ..pictures.scenario import scenario_classes_figure

    total = simulation["baseline"]["population"]["systems"] or None
    out: list[tuple[str, bytes, str]] = []
    stems: set[str] = set()
    for sc in simulation["scenarios"]:
        codes = {row["jurisdiction"] for rows in sc["classes"].values() for row in rows}
        names = {code: place_name(pack, code) for code in codes}
        stem = "scenario-" + re.sub(r"[^A-Za-z0-9_-]+", "_", sc["id"])
        while stem in stems:
            stem += "_"
        stems.add(stem)
        png, svg = scenario_classes_figure(sc["classes"], sc["title"], names, total)
        out.append((stem, png, svg))
    return out


def _population_html(simulation: dict, figures: list[tuple[str, bytes, str]]) -> str:
    base = simulation["baseline"]
    p, f = base["population"], base["fragmentation"]
    source = simulation.get("population", {}).get("file", "")
    headline = [
        ("AI systems (weighted)", f"{p['systems']:,.0f} from {p['rows']:,} profiles"),
        ("systems with at least one duty", _pct(f["systems_with_duties_share"])),
        ("systems bound in several jurisdictions", _pct(f["systems_in_several_jurisdictions_share"])),
        ("mean fragmentation index (systems with duties)", f"{f['mean_index_bound']:.3f}"),
        ("duty units outside the common core, per system", f"{f['outside_core_per_system']:.2f}"),
        ("compliance effort per system and year", f"EUR {f['effort_eur_per_system']:,.0f}"),
    ]
    parts = [
        f"<p>The rules run over the population{' in <b>' + escape(source) + '</b>' if source else ''} as of "
        f"{escape(base['as_of'])} (engine {escape(base['engine'])}); every figure weights each profile by the "
        "systems it stands for. Effort is the yearly compliance cost of the cost table (docs/costs.md).</p>",
        "<h3>Baseline: the law as it stands</h3><table><tr><th>measure</th><th>value</th></tr>"
        + "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in headline)
        + "</table>",
    ]
    if not simulation["scenarios"]:
        parts.append("<p class='note'>No scenario given (--scenario): the baseline only.</p>")
    for i, (sc, (_, _, svg)) in enumerate(zip(simulation["scenarios"], figures, strict=True), start=1):
        sources = ", ".join(f"<a href='{escape(u)}'>{escape(u)}</a>" for u in sc.get("sources") or [])
        parts.append(
            f"<h3>Scenario: {escape(sc['title'])}</h3>"
            f"<p class='meta'>{escape(sc['id'])} · {escape(str(sc['status']).replace('_', ' '))}"
            f"{' · sources: ' + sources if sources else ''}</p>"
            f"<p>{escape(sc.get('description') or '')}</p>"
            f"<p><b>What changes:</b> {escape(sc['answer'])}.</p>{_scenario_table(sc, p['systems'])}"
            "<div class='figure'><p><b>Systems by class in each jurisdiction, baseline and scenario</b> "
            "<span class='note'>(bar length: the share of all systems the jurisdiction's rules touch; the column on "
            "the right: the share that meets a prohibition, a risk class or a duty there)</span></p>"
            f"{inline_svg(svg, f'scenario{i}')}</div>"
        )
    return "".join(parts)


def render_report(
    pack: Pack,
    c: Comparison,
    ls: Landscape,
    map_instrument: str = MAP_INSTRUMENT,
    pictures_dir: Path | None = None,
    simulation: dict | None = None,
) -> tuple[str, list[tuple[Path, bytes]]]:
    """The report, and the picture files to keep in pictures_dir (none without it), written by the caller.

    Nothing is written here, so the caller can write the report, its PDF and its pictures all or nothing.
    simulation, if given, is a result of `simulate.run.run_simulation` (optionally with "population": {"file": ...}):
    the report then gains a section on the population and what each scenario changes, with its picture.
    """
    a = c.assessment
    figures, drawn_files = pictures_of(pack, c, ls, pictures_dir or Path("pictures"), map_instrument)
    files = list(drawn_files.items()) if pictures_dir is not None else []
    population_html = ""
    if simulation is not None:
        drawn = scenario_pictures(pack, simulation)
        if pictures_dir is not None:
            for stem, png, svg in drawn:
                files += [(pictures_dir / f"{stem}.png", png), (pictures_dir / f"{stem}.svg", svg.encode("utf-8"))]
        population_html = f"<h2>4. Population and scenarios</h2>{_population_html(simulation, drawn)}"
    figure_html = "".join(f"<div class='figure'><p><b>{escape(title)}</b></p>{svg}</div>" for title, svg in figures)
    document = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>regatlas report: {escape(a.profile.name)}</title>
<style>{CSS}</style></head><body>
<h1>regatlas report: {escape(a.profile.name)}</h1>
<p class="meta">Law as of {a.as_of} · pack revision {a.pack_revision} · decision {a.decision_id} ·
engine {a.engine_version}. Every conclusion cites its provision; an unknown names the facts that would settle it.
This report is reproducible from the pack revision, the date and the profile.</p>
<section id="verdict"><h2>Verdict</h2>{verdict_html(a)}</section>
<h2>1. Assessment</h2><p>{escape(a.profile.description)}</p>{assessment_html(a)}
<h2>2. Comparison across jurisdictions</h2>{comparison_html(c)}
<h2>3. Pictures</h2>{figure_html}
<p class="note">Map geometry: Natural Earth admin-0 countries (public domain); see docs/map-data.md.</p>
{population_html}
</body></html>
"""
    return document, files


def write_pdf(html: str, path: Path) -> None:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the Pango system library is missing
        raise RegatlasError(
            Problem(f"PDF output needs WeasyPrint and the Pango library: {exc}", path="--pdf")
        ) from None
    HTML(string=html).write_pdf(str(path))


def render_html(pack: Pack, c: Comparison, ls: Landscape, map_instrument: str = MAP_INSTRUMENT) -> str:
    """The report alone, its pictures inline (no files)."""
    return render_report(pack, c, ls, map_instrument)[0]
