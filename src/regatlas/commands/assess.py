"""`regatlas assess` and `regatlas explain`: one profile against the pack, and one finding's reasons."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import Problem, RegatlasError
from .common import (
    EXIT_BAD_INPUT,
    EXIT_PROHIBITED,
    EXIT_PROHIBITED_LATER,
    chosen_instruments,
    load,
    out,
    parse_as_of,
    report_problems,
)
from .options import AsOfOption, Format, PackOption

if TYPE_CHECKING:
    from ..engine.assess import Assessment
    from ..rules.pack import Pack


def assess_cmd(
    profiles: Annotated[
        list[Path],
        typer.Argument(
            metavar="PROFILE...",
            help="Profile files (YAML or JSON); a .jsonl file holds one JSON profile per line. Several profiles "
            "or a .jsonl file make a batch: with --format json, one result per line (JSON lines), as each is done.",
        ),
    ],
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
        bool,
        typer.Option(
            "--fail-on-prohibited",
            help="Exit 3 when a prohibition applies on the date, 5 when one holds but applies only from a later date.",
        ),
    ] = False,
    pack_dir: PackOption = None,
) -> None:
    """Assess profiles: per instrument, scope, prohibitions, classification and duties by role."""
    from ..engine.assess import assess

    pack = load(pack_dir)
    date = parse_as_of(as_of)
    chosen = chosen_instruments(pack, date, instrument, jurisdiction)
    if len(profiles) == 1 and profiles[0].suffix.lower() not in (".jsonl", ".ndjson"):
        from ..facts.profile import load_profile

        result = assess(pack, load_profile(profiles[0], pack.vocabulary), date, chosen)
        _print_one(result, format, trace, show_all)
        bans = {"now": bool(result.prohibited_now()), "later": bool(result.prohibited_later())}
    else:
        bans = _assess_batch(pack, profiles, date, chosen, format, trace, show_all)
    if fail_on_prohibited and bans["now"]:
        raise typer.Exit(EXIT_PROHIBITED)
    if fail_on_prohibited and bans["later"]:
        raise typer.Exit(EXIT_PROHIBITED_LATER)


def _print_one(result: Assessment, format: Format, trace: bool, show_all: bool) -> None:
    if format is Format.json:
        from ..report.json_report import render_json

        out.print_json(render_json(result, trace)) if sys.stdout.isatty() else print(render_json(result, trace))
    elif format is Format.markdown:
        from ..report.markdown import render_markdown

        print(render_markdown(result, show_all))
    else:
        from ..report.text import render_text

        render_text(result, out, show_all)


def _assess_batch(
    pack: Pack,
    profiles: list[Path],
    date: dt.date,
    chosen: list[str] | None,
    format: Format,
    trace: bool,
    show_all: bool,
) -> dict[str, bool]:
    """Assess profile after profile, printing each result as it is done; bad profiles are reported on stderr
    and the batch goes on, then exits 2. Returns whether a ban applies now to any profile, and whether one holds
    that applies only later."""
    from ..engine.assess import assess
    from ..facts.batch import iter_profiles
    from ..report.json_report import assessment_json

    failed = False
    bans = {"now": False, "later": False}
    for item in iter_profiles(profiles, pack.vocabulary):
        if item.error is not None:
            report_problems(item.error)
            failed = True
            continue
        result = assess(pack, item.profile, date, chosen)
        bans["now"] = bans["now"] or bool(result.prohibited_now())
        bans["later"] = bans["later"] or bool(result.prohibited_later())
        if format is Format.json:
            line = json.dumps(assessment_json(result, trace), ensure_ascii=False, separators=(",", ":"))
            print(line, flush=True)  # JSON lines: a reader can act on each result as it comes
        else:
            _print_one(result, format, trace, show_all)
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)
    return bans


def explain_cmd(
    profile: Annotated[Path, typer.Argument(help="Profile file (YAML or JSON).")],
    finding: Annotated[str, typer.Argument(help="Finding id: instrument:rule or a bare rule id.")],
    as_of: AsOfOption = None,
    pack_dir: PackOption = None,
) -> None:
    """Explain one finding: its condition with the fact values, exceptions, dates and missing facts."""
    from ..engine.assess import assess
    from ..facts.profile import load_profile
    from ..report.text import render_explanation

    pack = load(pack_dir)
    rule = pack.find_rule(finding)
    loaded = load_profile(profile, pack.vocabulary)
    date = parse_as_of(as_of)
    result = assess(pack, loaded, date, [rule.instrument_id])
    try:
        target = result.finding(rule.key)
    except KeyError:
        raise RegatlasError(Problem(f"rule '{rule.key}' has no version in force on {date}", path="FINDING")) from None
    render_explanation(result, target, pack.vocabulary, out)


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_cmd)
    app.command("explain")(explain_cmd)
