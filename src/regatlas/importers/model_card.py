"""Hugging Face model cards (README.md with a YAML metadata block), read offline with huggingface_hub's ModelCard.

The card is parsed from its text (`ModelCard(text)`), never with `ModelCard.load`, which takes a name that is
not a local file for a Hub repository and downloads it: an import must not depend on, or leak to, the network.
The metadata block is first read through regatlas.yamlio, under the same limits as every input and with line
numbers for errors, then by ModelCard, whose parsed fields are the ones mapped.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from ..errors import Problem, RegatlasError
from ..yamlio import parse_text
from .mapping import mapping, read_licence, read_task, silent_facts
from .records import Fragment, NotMapped
from .sources import read_text

# Fields kept in the provenance record although no fact follows from them.
RECORDED = ("datasets", "base_model", "base_model_relation", "license_name", "license_link", "language", "tags")


def _title(text: str, data: dict[str, Any], fallback: str) -> str:
    """The model the card is about: its `model_name`, else its first level-1 heading, else the file name."""
    if isinstance(data.get("model_name"), str):
        return data["model_name"]
    heading = re.search(r"^# +(.+?)\s*$", text, flags=re.MULTILINE)
    return heading.group(1) if heading else fallback


def _metadata_block(text: str, source: str) -> tuple[str, int] | None:
    """(the YAML block, the file line it starts on) or None for a card without metadata."""
    from huggingface_hub.repocard import REGEX_YAML_BLOCK

    match = REGEX_YAML_BLOCK.search(text)
    if match is None:
        return None
    first_line = text[: match.start(2)].count("\n") + 1
    return match.group(2), first_line


def _check_block(block: str, first_line: int, source: str) -> None:
    """Refuse a malformed or oversized block with the card's own line number (yamlio counts from the block)."""
    try:
        data, _ = parse_text(block, source)
    except RegatlasError as exc:
        for problem in exc.problems:
            if problem.line is not None:
                problem.line += first_line - 1
        raise
    if data is not None and not isinstance(data, dict):
        raise RegatlasError(Problem("the metadata block must be a mapping of fields", source, first_line))


def _card(text: str, source: str) -> Any:
    from huggingface_hub import ModelCard

    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)  # "no metadata block" is reported by us
    try:
        return ModelCard(text)
    except (ValueError, TypeError) as exc:  # e.g. a model-index that is not a list of results
        # huggingface_hub's advice to pass ignore_metadata_errors is about its own API, not this command
        reason = str(exc).split(" Pass `ignore_metadata_errors", 1)[0]
        raise RegatlasError(
            Problem(f"the card's metadata is not valid: {reason}", source, path="model-index")
        ) from None


def _recorded(data: dict[str, Any], fragment: Fragment) -> None:
    notes = mapping().not_mapped
    for name in RECORDED:
        if data.get(name) is not None:
            why = notes.get(name, "kept in the provenance record; maps to no fact")
            fragment.not_mapped.append(NotMapped(name, data[name], why))
    if data.get("model-index") is not None:
        fragment.not_mapped.append(NotMapped("model-index", data["model-index"], notes["model-index"]))


def _licences(data: dict[str, Any], fragment: Fragment) -> None:
    licence = data.get("license")
    if isinstance(licence, str):
        fragment.add_or_note(read_licence(licence, "license"))
    elif isinstance(licence, list):  # several licences: the model is under each; only all-OSI settles it
        fragment.not_mapped.append(NotMapped("license", licence, "several licences; answer the fact yourself"))


def read_model_card(path: Path) -> Fragment:
    """The facts a model card states, each with the card field it came from."""
    text, digest = read_text(path)
    source = str(path)
    block = _metadata_block(text, source)
    fragment = Fragment("model-card", source, digest, path.stem)
    if block is None:
        fragment.not_mapped.append(NotMapped("(metadata)", None, "the card has no YAML metadata block"))
        fragment.not_mapped.extend(silent_facts())
        return fragment
    _check_block(*block, source)
    data = _card(text, source).data.to_dict()
    fragment.subject = _title(text[len(block[0]) :], data, path.stem)
    _licences(data, fragment)
    if isinstance(data.get("pipeline_tag"), str):
        fragment.add_or_note(read_task(data["pipeline_tag"], "pipeline_tag"))
    _recorded(data, fragment)
    fragment.not_mapped.extend(silent_facts())
    return fragment
