"""The `regatlas` command line. Exit codes: 0 done, 2 bad input, 3 prohibited (with --fail-on-prohibited)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, get_args

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import __version__
from .commands.options import AsOfOption, Format, PackOption
from .compare.fragmentation import compare
from .compare.landscape import landscape
from .engine.assess import assess
from .errors import Problem, RegatlasError, nearest
from .facts.docs import vocabulary_markdown
from .facts.profile import load_profile
from .facts.schema import profile_schema
from .jurisdictions.touch import narrowed
from .report import world
from .report.compare_report import comparison_json, render_comparison_markdown, render_comparison_text
from .report.json_report import render_json
from .report.landscape_report import landscape_json, render_landscape_markdown, render_landscape_text
from .report.markdown import render_markdown
from .report.text import render_explanation, render_text
from .rules.loader import Pack, load_pack
from .rules.model import ENDING_EVENTS, BindingForce, RuleKind
from .rules.selftest import run_all

EXIT_OK, EXIT_BAD_INPUT, EXIT_PROHIBITED = 0, 2, 3

app = typer.Typer(
    help="regatlas: AI regulation as code. Assess an AI-system profile against dated, cited rule packs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="Browse the rules of the pack.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
# Piped output gets 120 columns rather than rich's 80, so tables of ids and citations stay readable.
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 120)
err = Console(stderr=True)


def parse_as_of(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RegatlasError(Problem(f"bad date {text!r}", path="--as-of", allowed=["a date YYYY-MM-DD"])) from None


def _load(pack_dir: Path | None) -> Pack:
    return load_pack(pack_dir, cache=True)


@app.command("assess")
def assess_cmd(
    profile: Annotated[Path, typer.Argument(help="Profile file (YAML or JSON).")],
    as_of: AsOfOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    trace: Annotated[bool, typer.Option("--trace", help="Include explanation traces in JSON output.")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="Also list rules that do not apply.")] = False,
    instrument: Annotated[list[str] | None, typer.Option("--instrument", help="Only these instruments.")] = None,
    jurisdiction: Annotated[
        list[str] | None,
        typer.Option(
            "--jurisdiction", "-j", help="Only instruments of these places (and places inside or around them)."
        ),
    ] = None,
    fail_on_prohibited: Annotated[
        bool, typer.Option("--fail-on-prohibited", help="Exit with code 3 when any prohibition finding is YES.")
    ] = False,
    pack_dir: PackOption = None,
) -> None:
    """Assess a profile: per instrument, scope, prohibitions, classification and duties by role."""
    pack = _load(pack_dir)
    date = parse_as_of(as_of)
    loaded = load_profile(profile, pack.vocabulary)
    chosen = _chosen_instruments(pack, date, instrument, jurisdiction)
    result = assess(pack, loaded, date, chosen)
    if format is Format.json:
        out.print_json(render_json(result, trace)) if sys.stdout.isatty() else print(render_json(result, trace))
    elif format is Format.markdown:
        print(render_markdown(result, show_all))
    else:
        render_text(result, out, show_all)
    if fail_on_prohibited and result.prohibited():
        raise typer.Exit(EXIT_PROHIBITED)


INSTRUMENT_STATUSES = ["in_force", "adopted", "pending", "not_yet_adopted", "stayed", *ENDING_EVENTS]


def _one_of(value: str | None, allowed: list[str], option: str, what: str) -> None:
    """An option's value must be one the command knows: an unknown one is an error, never an empty answer."""
    if value is not None and value not in allowed:
        raise RegatlasError(
            Problem(f"unknown {what} '{value}'", path=option, allowed=allowed, suggestion=nearest(value, allowed))
        )


def _codes(pack: Pack, written: list[str], option: str) -> list[str]:
    """Canonical jurisdiction codes for the codes a user wrote; an unknown one is an error naming the nearest."""
    codes = []
    for code in written:
        canonical = pack.registry.normalise(code)
        if canonical is None:
            raise RegatlasError(pack.registry.unknown(code, path=option))
        codes.append(canonical)
    return codes


def _chosen_instruments(
    pack: Pack, day: dt.date, instruments: list[str] | None, places: list[str] | None
) -> list[str] | None:
    """The instruments --instrument and --jurisdiction narrow the assessment to (None: all)."""
    chosen = None
    if instruments:
        unknown = [i for i in instruments if i not in pack.instruments]
        if unknown:
            raise RegatlasError(
                Problem(
                    f"unknown instrument '{unknown[0]}'",
                    path="--instrument",
                    allowed=list(pack.instruments),
                    suggestion=nearest(unknown[0], pack.instruments),
                )
            )
        chosen = list(instruments)
    if places:
        near = narrowed(pack, _codes(pack, places, "--jurisdiction"), day)
        chosen = [i for i in (chosen or near) if i in near]
    return chosen


@app.command("compare")
def compare_cmd(
    profile: Annotated[Path, typer.Argument(help="Profile file (YAML or JSON).")],
    as_of: AsOfOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    include_unknown: Annotated[
        bool, typer.Option("--include-unknown", help="Also count duties whose outcome is still unknown.")
    ] = False,
    jurisdiction: Annotated[
        list[str] | None, typer.Option("--jurisdiction", "-j", help="Only instruments of these places.")
    ] = None,
    pack_dir: PackOption = None,
) -> None:
    """Compare what each jurisdiction demands of one system: themes, common core, controls, conflicts, index."""
    pack = _load(pack_dir)
    date = parse_as_of(as_of)
    loaded = load_profile(profile, pack.vocabulary)
    result = assess(pack, loaded, date, _chosen_instruments(pack, date, None, jurisdiction))
    comparison = compare(result, pack.vocabularies, include_unknown)
    if format is Format.json:
        _emit_json(comparison_json(comparison))
    elif format is Format.markdown:
        print(render_comparison_markdown(comparison))
    else:
        render_comparison_text(comparison, out)


@app.command("landscape")
def landscape_cmd(
    codes: Annotated[
        list[str] | None, typer.Argument(help="Jurisdictions to show (default: the major AI powers).")
    ] = None,
    as_of: AsOfOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    pack_dir: PackOption = None,
) -> None:
    """The world on a date: participation in instruments, where each theme binds, and instrument alignment."""
    pack, day = _load(pack_dir), parse_as_of(as_of)
    result = landscape(pack, day, _codes(pack, codes, "CODES") if codes else None)
    if format is Format.json:
        _emit_json(landscape_json(result))
    elif format is Format.markdown:
        print(render_landscape_markdown(result))
    else:
        render_landscape_text(result, out)


@app.command("report")
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
    from .outputs import check_folder, check_target, text_writer, write_files
    from .report.html import render_html, write_pdf

    if scenario and population is None:
        raise RegatlasError(
            Problem("--scenario needs --population: a scenario is measured over a population", path="--scenario")
        )
    check_target(html, "--html")
    if pdf is not None:
        check_target(pdf, "--pdf")
        if pdf.resolve() == html.resolve():
            raise RegatlasError(Problem("--html and --pdf name the same file: give each its own", path="--pdf"))
    if pictures_dir is not None:
        check_folder(pictures_dir, "--pictures")  # created when missing (its parent must exist)
    pack = _load(pack_dir)
    day = parse_as_of(as_of)
    if map_instrument not in pack.instruments:
        raise RegatlasError(
            Problem(
                f"unknown instrument '{map_instrument}'",
                path="--map",
                suggestion=nearest(map_instrument, pack.instruments),
            )
        )
    simulation = None
    if population is not None:
        from .simulate.costs import load_costs
        from .simulate.population import load_population
        from .simulate.run import run_simulation
        from .simulate.scenario import load_scenario

        scenarios = [load_scenario(path) for path in scenario or []]
        for sc in scenarios:
            sc.apply(pack)  # a scenario that cannot apply fails before the long work
        costs = load_costs(None, list(pack.vocabularies.themes))
        frame = load_population(population, pack, day)
        err.print(f"simulating {frame.height:,} systems, {len(scenarios)} scenario(s)")
        simulation, _ = run_simulation(pack, frame, day, "polars", scenarios, costs)
        simulation["population"] = {"file": population.name}
    result = assess(pack, load_profile(profile, pack.vocabulary), day)
    comparison = compare(result, pack.vocabularies)
    document = render_html(pack, comparison, landscape(pack, day), map_instrument, pictures_dir, simulation)
    outputs = [(html, text_writer(document), "--html")]
    if pdf is not None:
        outputs.append((pdf, lambda temporary: write_pdf(document, temporary), "--pdf"))
    write_files(outputs)
    for target, _, _ in outputs:
        print(f"wrote {target}")


@app.command("explain")
def explain_cmd(
    profile: Annotated[Path, typer.Argument(help="Profile file (YAML or JSON).")],
    finding: Annotated[str, typer.Argument(help="Finding id: instrument:rule or a bare rule id.")],
    as_of: AsOfOption = None,
    pack_dir: PackOption = None,
) -> None:
    """Explain one finding: its condition with the fact values, exceptions, dates and missing facts."""
    pack = _load(pack_dir)
    rule = pack.find_rule(finding)
    loaded = load_profile(profile, pack.vocabulary)
    date = parse_as_of(as_of)
    result = assess(pack, loaded, date, [rule.instrument_id])
    try:
        target = result.finding(rule.key)
    except KeyError:
        raise RegatlasError(Problem(f"rule '{rule.key}' has no version in force on {date}", path="FINDING")) from None
    render_explanation(result, target, pack.vocabulary, out)


@rules_app.command("list")
def rules_list(
    instrument: Annotated[str | None, typer.Option("--instrument", help="Only this instrument.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind of rule.")] = None,
    as_of: AsOfOption = None,
    pack_dir: PackOption = None,
) -> None:
    """List the rules of the pack with their citation, kind and status."""
    pack = _load(pack_dir)
    date = parse_as_of(as_of)
    _one_of(instrument, list(pack.instruments), "--instrument", "instrument")
    _one_of(kind, list(get_args(RuleKind)), "--kind", "kind of rule")
    table = Table(title=f"rules (pack {pack.revision}, as of {date})")
    for column in ("id", "citation", "kind", "addressee", "in force", "status", "title"):
        table.add_column(column, no_wrap=column in ("id", "citation"))
    for rule in pack.all_rules():
        if (instrument and rule.instrument_id != instrument) or (kind and rule.rule.kind != kind):
            continue
        version = rule.version_at(date)
        table.add_row(
            rule.key,
            rule.citation_label,
            rule.rule.kind,
            ", ".join(rule.rule.addressee),
            "yes" if version else "no",
            rule.rule.status,
            rule.rule.title,
        )
    out.print(table)


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="Rule id: instrument:rule or a bare rule id.")],
    pack_dir: PackOption = None,
) -> None:
    """Show one rule: citation, versions with dates and conditions, exceptions, tests."""
    pack = _load(pack_dir)
    loaded = pack.find_rule(rule_id)
    rule = loaded.rule
    text = Text()
    text.append(f"{loaded.key}  {loaded.citation_label}  {rule.title}\n", style="bold")
    text.append(
        f"kind {rule.kind} · addressee {', '.join(rule.addressee) or '-'} · status {rule.status}"
        f" · priority {rule.priority}\n"
    )
    text.append(f"source {rule.citation.url}\ndefined at {loaded.file}:{loaded.line}\n", style="dim")
    if rule.note:
        text.append(f"note: {rule.note}\n", style="italic")
    for v in rule.versions:
        text.append(
            f"\nversion {v.valid_from} .. {v.valid_to or 'open'} ({v.act}); applies from {v.applies_from}\n",
            style="bold",
        )
        text.append(f"  when: {v.when}\n")
    if rule.overrides:
        text.append(f"\noverrides: {', '.join(rule.overrides)}\n")
    if loaded.exceptions:
        text.append(f"overridden by: {', '.join(loaded.exceptions)}\n")
    if rule.penalty:
        text.append(f"penalty: {rule.penalty}\n")
    text.append(f"\ntests ({len(rule.tests)}):\n")
    for case in rule.tests:
        text.append(f"  - {case.name} -> {case.expect}{' (' + case.source + ')' if case.source else ''}\n")
    out.print(text)


@app.command("validate")
def validate_cmd(
    path: Annotated[Path, typer.Argument(help="A profile file, or a rule-pack folder.")],
    pack_dir: PackOption = None,
) -> None:
    """Validate a profile against the vocabulary, or a rule pack (structure, types, cycles, its own tests)."""
    if path.is_dir():
        pack = load_pack(path)
        results = run_all(pack)
        failed = [r for r in results if not r.passed]
        for r in failed:
            err.print(f"[red]FAIL[/red] {r.rule_key}: {r.case_name}: {r.detail}")
        rules = len(pack.all_rules())
        if failed:
            err.print(f"{len(failed)} of {len(results)} rule test cases failed")
            raise typer.Exit(EXIT_BAD_INPUT)
        print(
            f"pack {path} is valid: {len(pack.instruments)} instruments, {rules} rules, "
            f"{len(pack.vocabulary.facts)} facts, {len(results)} rule test cases pass; revision {pack.revision}"
        )
        return
    pack = _load(pack_dir)
    profile = load_profile(path, pack.vocabulary)
    print(
        f"profile {path} is valid: {len(profile.facts)} facts known, "
        f"{len(pack.vocabulary.facts) - len(profile.facts)} unknown"
    )


@app.command("schema")
def schema_cmd(pack_dir: PackOption = None) -> None:
    """Print the JSON Schema of profiles."""
    print(json.dumps(profile_schema(_load(pack_dir).vocabulary), indent=2, ensure_ascii=False))


@app.command("facts")
def facts_cmd(
    format: Annotated[Format, typer.Option("--format", "-f", help="text, json or markdown.")] = Format.text,
    group: Annotated[str | None, typer.Option("--group", help="Only this group (system, model, ...).")] = None,
    pack_dir: PackOption = None,
) -> None:
    """List the fact vocabulary: each fact's type, allowed values and question."""
    vocabulary = _load(pack_dir).vocabulary
    if group and group not in vocabulary.groups():
        raise RegatlasError(Problem(f"unknown group '{group}'", path="--group", allowed=vocabulary.groups()))
    facts = [f for f in vocabulary.facts.values() if group in (None, f.group)]
    if format is Format.markdown:
        print(vocabulary_markdown(vocabulary))
    elif format is Format.json:
        print(
            json.dumps(
                [
                    {
                        "id": f.id,
                        "type": f.type,
                        "unit": f.unit,
                        "values": f.values,
                        "question": f.question,
                        "help": f.help,
                    }
                    for f in facts
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        table = Table(title=f"{len(facts)} facts")
        for column in ("fact", "type", "question"):
            table.add_column(column, no_wrap=column == "fact")
        for f in facts:
            kind = f.type + (": " + ", ".join(f.values) if f.values else "")
            table.add_row(f.id, kind, f.question)
        out.print(table)


def _emit_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


@app.command("instruments")
def instruments_cmd(
    jurisdiction: Annotated[
        str | None,
        typer.Option(
            "--jurisdiction", "-j", help="Only instruments of this place, the places inside it, or those containing it."
        ),
    ] = None,
    force: Annotated[
        str | None,
        typer.Option(
            "--force", help="binding_law, executive_policy, soft_law, voluntary_commitment, declaration or bill."
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="in_force, adopted, pending, repealed, revoked, lapsed, replaced, stayed, expired, not_yet_adopted.",
        ),
    ] = None,
    as_of: AsOfOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    pack_dir: PackOption = None,
) -> None:
    """List the instruments: jurisdiction, binding force, status on the date, rules and parties."""
    pack, day = _load(pack_dir), parse_as_of(as_of)
    _one_of(force, list(get_args(BindingForce)), "--force", "binding force")
    _one_of(status, INSTRUMENT_STATUSES, "--status", "status")
    if jurisdiction and pack.registry.normalise(jurisdiction) is None:
        raise RegatlasError(pack.registry.unknown(jurisdiction, path="--jurisdiction"))
    rows = world.list_instruments(pack, day, jurisdiction and pack.registry.normalise(jurisdiction), force, status)
    if format is Format.json:
        _emit_json({"as_of": day.isoformat(), "instruments": rows})
        return
    table = Table(title=f"{len(rows)} instruments, as of {day}")
    for column in ("id", "where", "instrument", "force", "status", "rules", "parties"):
        table.add_column(column, no_wrap=column in ("id", "where"))
    for r in rows:
        table.add_row(
            r["id"],
            r["jurisdiction"],
            r["title"],
            r["binding_force_text"],
            r["status_text"],
            str(r["rules"] or "-"),
            str(r["parties"] or "-"),
        )
    out.print(table)


@app.command("parties")
def parties_cmd(
    instrument: Annotated[str, typer.Argument(help="Instrument id (e.g. intl_paris_2025) or a word of its title.")],
    party: Annotated[str | None, typer.Option("--party", help="Only this jurisdiction: how does it take part?")] = None,
    as_of: AsOfOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    pack_dir: PackOption = None,
) -> None:
    """Who is party to an instrument, how (signed, ratified, endorsed, declined...), since when, and how sure."""
    pack, day = _load(pack_dir), parse_as_of(as_of)
    data = world.parties(pack, world.find_instrument(pack, instrument), day, party)
    if format is Format.json:
        _emit_json(data)
        return
    meta = data["instrument"]
    out.print(Text(f"{meta['full_title']}", style="bold"))
    out.print(Text(f"{meta['id']} · {meta['binding_force_text']} · {meta['status_text']} (as of {day})", style="dim"))
    if data["entry_into_force_condition"]:
        out.print(Text(f"entry into force: {data['entry_into_force_condition']}"))
    if data["parties_note"]:
        out.print(Text(f"how sure the list is ({data['parties_confidence']}): {data['parties_note']}", style="italic"))
    if data["answer"]:
        a = data["answer"]
        verdict = (
            a["participation"] + (f" on {a['date']}" if a["date"] else "") + (f", via {a['via']}" if a["via"] else "")
        )
        out.print(Text(f"\n{a['name']} ({a['party']}): {verdict}  [confidence {a['confidence']}]", style="bold"))
        if a["note"]:
            out.print(Text(f"  {a['note']}", style="dim"))
        return
    out.print(Text(", ".join(f"{k}: {v}" for k, v in data["counts"].items()) or "no parties recorded"))
    table = Table()
    for column in ("party", "name", "participation", "date", "conf.", "note"):
        table.add_column(column, no_wrap=column in ("party", "date"))
    for r in sorted(data["parties"], key=lambda r: (r["participation"], r["name"])):
        table.add_row(
            r["party"] if r["kind"] != "company" else "-",
            r["name"],
            r["participation"],
            r["date"] or "",
            r["confidence"],
            r["note"] or "",
        )
    out.print(table)


@app.command("jurisdiction")
def jurisdiction_cmd(
    codes: Annotated[list[str], typer.Argument(help="One or more jurisdiction codes (GB, US, US-CA, CN, EU...).")],
    as_of: AsOfOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    pack_dir: PackOption = None,
) -> None:
    """What binds in a jurisdiction today, and which international instruments it joined or declined."""
    pack, day = _load(pack_dir), parse_as_of(as_of)
    profiles = [world.jurisdiction_profile(pack, code, day) for code in codes]
    if format is Format.json:
        _emit_json(profiles[0] if len(profiles) == 1 else profiles)
        return
    if len(profiles) > 1:
        _participation_matrix(profiles, day)
        return
    data = profiles[0]
    member = f" · member of {', '.join(data['member_of'])}" if data["member_of"] else ""
    out.print(Text(f"{data['name']} ({data['code']}) as of {day}{member}", style="bold"))
    table = Table(title="Instruments that apply here")
    for column in ("instrument", "made by", "force", "status"):
        table.add_column(column)
    for r in data["binding_here"]:
        table.add_row(f"{r['title']} ({r['id']})", r["jurisdiction"], r["binding_force_text"], r["status_text"])
    out.print(table)
    for title, rows in (
        ("Joined", data["joined"]),
        ("Declined", data["declined"]),
        ("Not recorded as a party", data["not_recorded"]),
    ):
        if not rows:
            continue
        table = Table(title=title)
        for column in ("instrument", "participation", "date", "conf.", "note"):
            table.add_column(column)
        for r in rows:
            how = r["participation"] + (f" (via {r['via']})" if r["via"] else "")
            table.add_row(
                f"{r['title']} ({r['instrument']})", how, r["date"] or "", r["confidence"] or "", r["note"] or ""
            )
        out.print(table)


def _participation_matrix(profiles: list[dict], day: dt.date) -> None:
    table = Table(title=f"Participation in international instruments, as of {day}")
    table.add_column("instrument")
    for p in profiles:
        table.add_column(p["code"], justify="center")
    rows: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for i, p in enumerate(profiles):
        for r in p["joined"] + p["declined"] + p["not_recorded"]:
            titles[r["instrument"]] = r["title"]
            mark = "—" if r["participation"] == "not recorded" else r["participation"]
            if r["via"]:
                mark += f" via {r['via']}"
            if mark != "—" and r["confidence"] in ("M", "L"):
                mark += f" [{r['confidence']}]"
            if r["date"]:
                mark += f"\n{r['date']}"
            rows.setdefault(r["instrument"], [""] * len(profiles))[i] = mark
    for iid in sorted(rows):
        table.add_row(titles[iid], *rows[iid])
    table.add_row(
        "binding instruments in force",
        *[
            str(sum(1 for r in p["binding_here"] if r["status"] == "in_force" and r["binding_force"] == "binding_law"))
            for p in profiles
        ],
    )
    out.print(table)
    out.print(
        Text(
            "— not recorded as a party · [M]/[L] medium or low confidence · via EU: through the Union, not in "
            "its own name",
            style="dim",
        )
    )


def _register_groups() -> None:
    from .commands import simulate as simulate_commands

    simulate_commands.register(app, _load, parse_as_of, out, err)


_register_groups()


@app.command("version")
def version_cmd(pack_dir: PackOption = None) -> None:
    """Print the engine version and the pack revision."""
    print(f"regatlas {__version__}, pack revision {_load(pack_dir).revision}")


def main() -> None:
    try:
        app()
    except RegatlasError as exc:
        for problem in exc.problems:
            err.print(Text("error: ", style="bold red") + Text(problem.render()))
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
