"""The readings of card and BOM fields as facts (mapping.yaml): licences and generative tasks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..yamlio import load_file
from .records import ImportedFact, NotMapped

MAPPING_FILE = Path(__file__).with_name("mapping.yaml")


@dataclass(frozen=True)
class Mapping:
    licences: dict[str, Any]
    tasks: dict[str, Any]
    not_mapped: dict[str, str]


@cache
def mapping() -> Mapping:
    data, _ = load_file(MAPPING_FILE)
    return Mapping(data["licences"], data["tasks"], {k: " ".join(v.split()) for k, v in data["not_mapped"].items()})


def _text(value: str) -> str:
    return " ".join(value.split())


def read_licence(licence: str, field: str) -> ImportedFact | NotMapped:
    """An OSI-approved licence settles model.open_source_licence as true; any other leaves it unknown."""
    table = mapping().licences
    spdx = table["free_open_source"].get(licence.strip().lower())
    if spdx is None:
        return NotMapped(field, licence, mapping().not_mapped["license"])
    basis = f"{_text(table['basis'])}: {spdx}"
    return ImportedFact(table["fact"], True, field, licence, basis, table["source"])


def read_task(task: str, field: str) -> ImportedFact | NotMapped:
    """A task that outputs content gives the kinds of content generated; any other task maps to no fact."""
    table = mapping().tasks
    kinds = table["generates"].get(task.strip().lower())
    if kinds is None:
        return NotMapped(field, task, mapping().not_mapped["pipeline_tag"])
    return ImportedFact(table["fact"], sorted(kinds), field, task, _text(table["basis"]), table["source"])


def silent_facts() -> list[NotMapped]:
    """The facts no card or BOM field states, said once per import so that their absence is visible."""
    notes = mapping().not_mapped
    return [
        NotMapped("(none)", None, f"model.training_compute_flop: {notes['training_compute']}"),
        NotMapped("(none)", None, f"model.general_purpose: {notes['general_purpose']}"),
        NotMapped("(none)", None, f"model.weights_public: {notes['weights_public']}"),
    ]
