"""`regatlas evidence content FILE...`: machine-readable AI markings in generated media (docs/evidence.md)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..outputs import check_target, text_writer, write_files
from .common import err, load, parse_as_of
from .options import PackOption


class ContentFormat(StrEnum):
    text = "text"
    json = "json"


def content_cmd(
    files: Annotated[list[Path], typer.Argument(help="Generated media to check: images, video, audio, documents.")],
    trust_anchors: Annotated[
        Path | None,
        typer.Option("--trust-anchors", help="PEM file of root certificates whose C2PA signers count as trusted."),
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date of the duties cited (default: today).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the check as JSON here.")] = None,
    format: Annotated[ContentFormat, typer.Option("--format", "-f", help="What to print on stdout.")] = (
        ContentFormat.text
    ),
    pack: PackOption = None,
) -> None:
    """C2PA manifests (valid or not, trusted signer or not, AI source actions) and IPTC/XMP DigitalSourceType,
    and what each file bears on EU AI Act Art. 50(2), China's implicit label and California's latent disclosure.
    A visible label is not read; a file without a marking is 'no marking found', not 'not AI-generated'."""
    from ..evidence.content_labels import check_content
    from ..report.content_labels import content_check_json, render_content_check_text

    if output is not None:
        check_target(output, "--output")
    result = check_content(files, trust_anchors, load(pack), parse_as_of(as_of))
    text = content_check_json(result)
    if output is not None:
        write_files([(output, text_writer(text), "--output")])
    print(text if format is ContentFormat.json else render_content_check_text(result), end="")
    if output is not None:
        err.print(f"wrote {output}")
