"""`regatlas import model-card CARD` and `regatlas import cyclonedx BOM`: facts from a model card or an
ML-BOM, with their provenance, as a new profile or merged into one (docs/imports.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import err, load
from .options import PackOption

if TYPE_CHECKING:
    from ..facts.vocabulary import Vocabulary
    from ..importers.merge import Merge
    from ..importers.records import Fragment

import_app = typer.Typer(help="Import facts from a model card or an ML-BOM, each with the field it came from.")

IntoOption = Annotated[
    Path | None,
    typer.Option("--into", help="Merge into this profile (written in place unless -o is given).", show_default=False),
]
OverwriteOption = Annotated[
    bool, typer.Option("--overwrite", help="Replace answers the profile already gives when the import disagrees.")
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write the profile here (and PROFILE.provenance.json beside it).", show_default=False
    ),
]


def _summary(fragment: Fragment, merged: Merge, kept: bool) -> list[str]:
    lines = [f"{fragment.kind} {fragment.source}: {fragment.subject}"]
    lines += [f"  {f.fact} = {f.value}  (from {f.field}: {f.stated!r})" for f in merged.written]
    lines += [f"  {f.fact} = {f.value}  already in the profile (from {f.field})" for f in merged.agreed]
    for c in merged.conflicts:
        kept = "replaced by the import" if c.overwritten else "kept; --overwrite to replace it"
        lines.append(
            f"  CONFLICT {c.fact}: the profile says {c.profile_value!r}, {c.source} {c.field} says "
            f"{c.imported_value!r} ({kept})"
        )
    mapped = sum(1 for n in fragment.not_mapped if n.field != "(none)")
    lines.append(
        f"  {mapped} more fields read but not mapped to facts; unknown stays unknown (see the provenance file)"
    )
    return lines


def _profile_text(
    fragment: Fragment, merged: Merge, into: Path | None, target: Path | None, vocabulary: Vocabulary
) -> str:
    """The merged profile: the person's file with the imported facts edited in (comments kept) when that can be
    done faithfully, else the whole profile written anew."""
    from ..importers.merge import profile_json, profile_yaml, provenance_path
    from ..importers.rewrite import edited_text

    sidecar = provenance_path(target) if target is not None else None
    if target is not None and target.suffix == ".json":  # a JSON profile stays JSON (it has no comments to keep)
        return profile_json(merged.data)

    if into is not None and merged.written:
        written = {f.fact: f.value for f in merged.written}
        where = f"see {sidecar.name}" if sidecar is not None else "provenance not kept"
        note = f"imported from {fragment.source} by regatlas import {fragment.kind} ({where})"
        text = into.read_text(encoding="utf-8")
        edited = edited_text(text, str(into), written, merged.data, vocabulary, note)
        if edited is not None:
            return edited
        err.print(f"{into} is written anew: its comments are not kept", markup=False, highlight=False)
    return profile_yaml(merged.data, sidecar)


def _run(fragment: Fragment, into: Path | None, overwrite: bool, output: Path | None, pack_dir: Path | None) -> None:
    from ..importers.merge import (
        import_record,
        merge,
        new_profile,
        provenance_json,
        provenance_path,
        read_profile,
    )
    from ..outputs import check_target, text_writer, write_files

    target = output or into
    if target is not None:
        check_target(target, "--output" if output else "--into")
    vocabulary = load(pack_dir).vocabulary
    base = read_profile(into) if into is not None else new_profile(fragment)
    merged = merge(fragment, base, vocabulary, str(into or fragment.source), overwrite)
    if into is None:
        merged.written, merged.agreed = list(fragment.facts), []
    sidecar = provenance_path(target) if target is not None else None
    text = _profile_text(fragment, merged, into, target, vocabulary)
    changed = bool(merged.written) or target != into  # a profile the import does not change is left as written
    if target is None or sidecar is None:
        print(text, end="")
    else:
        files = [(sidecar, text_writer(provenance_json(target, import_record(fragment, merged))), "--output")]
        if changed:
            files.insert(0, (target, text_writer(text), "--output"))
        write_files(files)
    for line in _summary(fragment, merged, sidecar is not None):
        err.print(line, markup=False, highlight=False)
    if sidecar is not None:
        wrote = f"{target} and {sidecar}" if changed else f"{sidecar} ({target} unchanged)"
        err.print(f"wrote {wrote}", markup=False, highlight=False)


def model_card_cmd(
    card: Annotated[Path, typer.Argument(help="A Hugging Face model card (README.md with YAML metadata).")],
    into: IntoOption = None,
    overwrite: OverwriteOption = False,
    output: OutputOption = None,
    pack_dir: PackOption = None,
) -> None:
    """Facts a model card states (licence, generative task), read offline; datasets, base model and evaluation
    results are kept in the provenance record. Compute, general-purpose and open weights stay unknown."""
    from ..importers.model_card import read_model_card

    _run(read_model_card(card), into, overwrite, output, pack_dir)


def cyclonedx_cmd(
    bom: Annotated[Path, typer.Argument(help="A CycloneDX ML-BOM in JSON (specification 1.5, 1.6 or 1.7).")],
    component: Annotated[
        str | None,
        typer.Option(
            "--component",
            help="The machine-learning-model component (bom-ref or name) when several.",
            show_default=False,
        ),
    ] = None,
    into: IntoOption = None,
    overwrite: OverwriteOption = False,
    output: OutputOption = None,
    pack_dir: PackOption = None,
) -> None:
    """Facts an ML-BOM states about a model (licence, generative task), after validating it against the CycloneDX
    schema; every fact names its JSON pointer."""
    from ..importers.cyclonedx import read_cyclonedx

    _run(read_cyclonedx(bom, component), into, overwrite, output, pack_dir)


def register(app: typer.Typer) -> None:
    """Add the import commands to the main application."""
    import_app.command("model-card")(model_card_cmd)
    import_app.command("cyclonedx")(cyclonedx_cmd)
    app.add_typer(import_app, name="import")
