"""`regatlas assess` and `regatlas explain`: one profile against the pack, and one finding's reasons."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import Problem, RegatlasError
from .common import EXIT_PROHIBITED, chosen_instruments, load, out, parse_as_of
from .options import AsOfOption, Format, PackOption


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
    from ..engine.assess import assess
    from ..facts.profile import load_profile

    pack = load(pack_dir)
    date = parse_as_of(as_of)
    loaded = load_profile(profile, pack.vocabulary)
    chosen = chosen_instruments(pack, date, instrument, jurisdiction)
    result = assess(pack, loaded, date, chosen)
    if format is Format.json:
        from ..report.json_report import render_json

        out.print_json(render_json(result, trace)) if sys.stdout.isatty() else print(render_json(result, trace))
    elif format is Format.markdown:
        from ..report.markdown import render_markdown

        print(render_markdown(result, show_all))
    else:
        from ..report.text import render_text

        render_text(result, out, show_all)
    if fail_on_prohibited and result.prohibited():
        raise typer.Exit(EXIT_PROHIBITED)


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
