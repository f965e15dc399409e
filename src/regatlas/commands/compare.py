"""`regatlas compare` and `regatlas landscape`: fragmentation for one system, and the world on a date."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import chosen_instruments, codes, emit_json, load, out, parse_as_of
from .options import AsOfOption, Format, PackOption


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
    from ..compare.fragmentation import compare
    from ..engine.assess import assess
    from ..facts.profile import load_profile
    from ..report.compare_report import comparison_json, render_comparison_markdown, render_comparison_text

    pack = load(pack_dir)
    date = parse_as_of(as_of)
    loaded = load_profile(profile, pack.vocabulary)
    result = assess(pack, loaded, date, chosen_instruments(pack, date, None, jurisdiction))
    comparison = compare(result, pack.vocabularies, include_unknown)
    if format is Format.json:
        emit_json(comparison_json(comparison))
    elif format is Format.markdown:
        print(render_comparison_markdown(comparison))
    else:
        render_comparison_text(comparison, out)


def landscape_cmd(
    place_codes: Annotated[
        list[str] | None, typer.Argument(metavar="CODES", help="Jurisdictions to show (default: the major AI powers).")
    ] = None,
    as_of: AsOfOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    pack_dir: PackOption = None,
) -> None:
    """The world on a date: participation in instruments, where each theme binds, and instrument alignment."""
    from ..compare.landscape import landscape
    from ..report.landscape_report import landscape_json, render_landscape_markdown, render_landscape_text

    pack, day = load(pack_dir), parse_as_of(as_of)
    result = landscape(pack, day, codes(pack, place_codes, "CODES") if place_codes else None)
    if format is Format.json:
        emit_json(landscape_json(result))
    elif format is Format.markdown:
        print(render_landscape_markdown(result))
    else:
        render_landscape_text(result, out)


def register(app: typer.Typer) -> None:
    app.command("compare")(compare_cmd)
    app.command("landscape")(landscape_cmd)
