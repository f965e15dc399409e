"""`regatlas report`: one self-contained HTML report (and PDF), written all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import Problem, RegatlasError, nearest
from ..outputs import bytes_writer, check_folder, check_target, text_writer, write_files
from .common import err, load, parse_as_of
from .options import AsOfOption, PackOption

if TYPE_CHECKING:
    from ..rules.pack import Pack


def _check_outputs(html: Path, pdf: Path | None, pictures_dir: Path | None) -> None:
    """Every output place is checked before any work, so a typo costs nothing."""
    check_target(html, "--html")
    if pdf is not None:
        check_target(pdf, "--pdf")
        if pdf.resolve() == html.resolve():
            raise RegatlasError(Problem("--html and --pdf name the same file: give each its own", path="--pdf"))
    if pictures_dir is not None:
        check_folder(pictures_dir, "--pictures")  # created when missing (its parent must exist)


def _simulation(pack: Pack, population: Path, scenario_files: list[Path], day: dt.date) -> dict:
    from ..simulate.costs import load_costs
    from ..simulate.population import load_population
    from ..simulate.run import run_simulation
    from ..simulate.scenario import load_scenario

    scenarios = [load_scenario(path) for path in scenario_files]
    for sc in scenarios:
        sc.apply(pack)  # a scenario that cannot apply fails before the long work
    costs = load_costs(None, list(pack.vocabularies.themes))
    frame = load_population(population, pack, day)
    err.print(f"simulating {frame.height:,} systems, {len(scenarios)} scenario(s)")
    simulation, _ = run_simulation(pack, frame, day, "polars", scenarios, costs)
    simulation["population"] = {"file": population.name}
    return simulation


def report_cmd(
    profile: Annotated[Path, typer.Argument(help="Profile file (YAML or JSON).")],
    html: Annotated[Path, typer.Option("--html", help="Write the self-contained HTML report here.")],
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Also write a PDF of the report here.")] = None,
    map_instrument: Annotated[
        str, typer.Option("--map", help="Instrument whose parties the world map shows.")
    ] = "intl_paris_2025",
    pictures_dir: Annotated[
        Path | None, typer.Option("--pictures", help="Also keep the pictures in this folder, as PNG and SVG.")
    ] = None,
    population: Annotated[
        Path | None,
        typer.Option("--population", help="Population file (Parquet, CSV or JSON lines): adds a population section."),
    ] = None,
    scenario: Annotated[
        list[Path] | None,
        typer.Option("--scenario", help="Scenario file (repeatable; needs --population): what it would change."),
    ] = None,
    as_of: AsOfOption = None,
    pack_dir: PackOption = None,
) -> None:
    """Write one self-contained HTML report (assessment, comparison, pictures; with --population, the population
    and what each scenario changes), and optionally a PDF of it. Written all or nothing."""
    from ..compare.fragmentation import compare
    from ..compare.landscape import landscape
    from ..engine.assess import assess
    from ..facts.profile import load_profile
    from ..report.html import render_report, write_pdf

    if scenario and population is None:
        raise RegatlasError(
            Problem("--scenario needs --population: a scenario is measured over a population", path="--scenario")
        )
    _check_outputs(html, pdf, pictures_dir)
    pack = load(pack_dir)
    day = parse_as_of(as_of)
    if map_instrument not in pack.instruments:
        raise RegatlasError(
            Problem(
                f"unknown instrument '{map_instrument}'",
                path="--map",
                suggestion=nearest(map_instrument, pack.instruments),
            )
        )
    simulation = _simulation(pack, population, scenario or [], day) if population is not None else None
    result = assess(pack, load_profile(profile, pack.vocabulary), day)
    comparison = compare(result, pack.vocabularies)
    document, pictures = render_report(pack, comparison, landscape(pack, day), map_instrument, pictures_dir, simulation)
    outputs = [(html, text_writer(document), "--html")]
    if pdf is not None:
        outputs.append((pdf, lambda temporary: write_pdf(document, temporary), "--pdf"))
    _refuse_overlap(outputs, [path for path, _ in pictures])
    # One set: the report, its PDF and its pictures are all written, or none is.
    write_files(outputs + [(path, bytes_writer(data), "--pictures") for path, data in pictures])
    for target, _, _ in outputs:
        print(f"wrote {target}")
    if pictures:
        print(f"wrote {len(pictures)} pictures in {pictures_dir}")


def _refuse_overlap(outputs: list[tuple[Path, object, str]], pictures: list[Path]) -> None:
    """--html pics/map.svg --pictures pics would write two files to one path."""
    taken = {p.resolve() for p in pictures}
    for path, _, option in outputs:
        if path.resolve() in taken:
            message = f"{path} is also the name of a picture in the --pictures folder: give the report another name"
            raise RegatlasError(Problem(message, path=option))


def register(app: typer.Typer) -> None:
    app.command("report")(report_cmd)
