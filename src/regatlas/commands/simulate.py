"""`regatlas population generate|check` and `regatlas simulate`: thin commands over simulate/ (docs/simulate.md)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..outputs import check_folder, check_target, text_writer, write_files
from .common import err, load, out, parse_as_of
from .options import Format, PackOption

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress


class Engine(StrEnum):
    polars = "polars"
    duckdb = "duckdb"
    spark = "spark"


def _progress(console: Console) -> Progress:
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


population_app = typer.Typer(help="Populations of AI systems: generate a synthetic one, check a registry file.")


def generate_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Parquet file to write.")],
    size: Annotated[int, typer.Option("--size", help="Number of AI systems (rows).", min=1)] = 20_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same rows.")] = 2026,
    pack_dir: PackOption = None,
) -> None:
    """Generate a synthetic population whose marginals come from cited statistics (docs/population.md)."""
    from ..report.simulation_report import parquet_writer
    from ..simulate.generate import generate_population

    check_target(output, "--output")
    pack = load(pack_dir)
    with _progress(err) as bar:
        task = bar.add_task("generating AI systems", total=size)
        frame = generate_population(pack, size, seed, lambda done: bar.update(task, completed=done))
    write_files([(output, parquet_writer(frame), "--output")])
    weight = float(frame.get_column("weight").sum())
    print(f"wrote {output}: {frame.height:,} profiles standing for {weight:,.0f} AI systems (seed {seed})")


def check_cmd(
    population: Annotated[Path, typer.Argument(help="Population file: Parquet, CSV or JSON lines.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Check derived place facts on this date.")] = None,
    pack_dir: PackOption = None,
) -> None:
    """Validate a population file like a profile: every problem with its row and column, exit 2 if any."""
    from ..simulate.population import load_population

    pack = load(pack_dir)
    frame = load_population(population, pack, parse_as_of(as_of))
    facts = [c for c in frame.columns if c in pack.vocabulary]
    print(f"{population}: {frame.height:,} systems, {len(facts)} facts given, valid")


def simulate_cmd(
    population: Annotated[Path, typer.Argument(help="Population file: Parquet, CSV or JSON lines.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="The law as of this date (default: today).")] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="Vectorized engine.")] = Engine.polars,
    scenario: Annotated[
        list[Path] | None, typer.Option("--scenario", help="Scenario file (repeatable): compared with the law.")
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output_dir: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write summary.json, summary.md and Parquet tables.")
    ] = None,
    rows: Annotated[
        Path | None, typer.Option("--rows", help="Write the per-profile findings (yes/no/unknown) as Parquet.")
    ] = None,
    costs_file: Annotated[
        Path | None, typer.Option("--costs", help="Cost table overriding the defaults (docs/costs.md).")
    ] = None,
    adaptation_share: Annotated[
        float,
        typer.Option("--adaptation-share", min=0.0, help="Extra share of a theme's cost per further law."),
    ] = 0.25,
    pack_dir: PackOption = None,
) -> None:
    """Run the rules over a population: counts per instrument, class and theme, unknowns, fragmentation,
    effort, and what each scenario changes."""
    from ..report.simulation_report import (
        parquet_tables,
        parquet_writer,
        render_simulation_markdown,
        render_simulation_text,
        simulation_json,
    )
    from ..simulate.costs import load_costs
    from ..simulate.population import load_population
    from ..simulate.run import run_simulation
    from ..simulate.scenario import load_scenario

    if output_dir is not None:
        check_folder(output_dir, "--output")
    if rows is not None:
        check_target(rows, "--rows")
    pack = load(pack_dir)
    day: dt.date = parse_as_of(as_of)
    scenarios = [load_scenario(path) for path in scenario or []]
    for sc in scenarios:
        sc.apply(pack)  # a scenario that cannot apply fails before the long work
    costs = load_costs(costs_file, [t for t in pack.vocabularies.themes])
    with _progress(err) as bar:
        task = bar.add_task("reading the population", total=None)
        frame = load_population(population, pack, day)
        bar.update(task, description=f"simulating {frame.height:,} systems", total=1 + len(scenarios))

        def step(message: str) -> None:
            bar.update(task, description=message)
            if message.startswith("scenario"):
                bar.advance(task)

        result, per_profile = run_simulation(
            pack, frame, day, engine.value, scenarios, costs, adaptation_share, step, rows=rows is not None
        )
        bar.advance(task)
    result["population"] = {"file": str(population)}
    outputs = []
    if output_dir is not None:
        outputs.append((output_dir / "summary.json", text_writer(simulation_json(result)), "--output"))
        outputs.append((output_dir / "summary.md", text_writer(render_simulation_markdown(result)), "--output"))
        for name, table in parquet_tables(result).items():
            outputs.append((output_dir / f"{name}.parquet", parquet_writer(table), "--output"))
    if rows is not None:
        outputs.append((rows, parquet_writer(per_profile), "--rows"))
    write_files(outputs)
    if format is Format.json:
        print(simulation_json(result))
    elif format is Format.markdown:
        print(render_simulation_markdown(result))
    else:
        render_simulation_text(result, out)
    for target, _, _ in outputs:
        err.print(f"wrote {target}")


def register(app: typer.Typer) -> None:
    """Add the population and simulate commands to the main application."""
    population_app.command("generate")(generate_cmd)
    population_app.command("check")(check_cmd)
    app.add_typer(population_app, name="population")
    app.command("simulate")(simulate_cmd)
