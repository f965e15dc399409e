"""Merging imported facts into a profile without overwriting a person's answers, and the provenance sidecar.

Provenance is kept beside the profile, in `PROFILE.provenance.json`, not in the profile: the profile loader
refuses any top-level key that is not a fact group (a misspelt group must not pass silently), and YAML
comments would be lost the next time a tool rewrites the file. The sidecar lists every import: the file and
its SHA-256, each fact with the field it came from, the conflicts left unresolved, and what was not mapped.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, RegatlasError
from ..facts.profile import UNKNOWN, encode_value, profile_from_data
from ..facts.vocabulary import Vocabulary
from ..yamlio import load_file
from .records import Fragment, ImportedFact

PROVENANCE_FORMAT = "regatlas.import-provenance/1"


@dataclass(frozen=True)
class Conflict:
    """A fact the profile answers differently from the import: the profile's answer is kept (or replaced)."""

    fact: str
    profile_value: Any
    imported_value: Any
    field: str
    source: str
    overwritten: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "fact": self.fact,
            "profile_value": self.profile_value,
            "imported_value": self.imported_value,
            "field": self.field,
            "source": self.source,
            "overwritten": self.overwritten,
        }


@dataclass
class Merge:
    data: dict[str, Any]  # the profile as written, with the imported facts in place
    written: list[ImportedFact] = field(default_factory=list)
    agreed: list[ImportedFact] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def provenance_path(profile: Path) -> Path:
    return profile.with_name(profile.name + ".provenance.json")


def _where(data: dict[str, Any], fact: str) -> tuple[dict[str, Any], str] | None:
    """The mapping and key that hold a fact in the profile as written (nested or dotted), if it is there."""
    group, name = fact.split(".", 1)
    if fact in data:
        return data, fact
    if isinstance(data.get(group), dict) and name in data[group]:
        return data[group], name
    return None


def _answered(raw: Any) -> bool:
    return raw is not None and raw != UNKNOWN


def _set(data: dict[str, Any], fact: str, value: Any) -> None:
    found = _where(data, fact)
    if found is not None:
        holder, key = found
        holder[key] = value
        return
    group, name = fact.split(".", 1)
    if not isinstance(data.get(group), dict):
        data[group] = {}
    data[group][name] = value


def merge(fragment: Fragment, profile: dict[str, Any], vocabulary: Vocabulary, source: str, overwrite: bool) -> Merge:
    """Put the fragment's facts into a copy of the profile: unknown facts are filled, answered ones kept unless
    `overwrite`; the values are compared as the profile loader reads them."""
    current = profile_from_data(profile, vocabulary, source).to_json()
    result = Merge(copy.deepcopy(profile))
    for fact in fragment.facts:
        found = _where(profile, fact.fact)
        if found is None or not _answered(found[0][found[1]]):
            _set(result.data, fact.fact, fact.value)
            result.written.append(fact)
        elif current.get(fact.fact) == fact.value:
            result.agreed.append(fact)
        else:
            conflict = Conflict(fact.fact, current.get(fact.fact), fact.value, fact.field, fragment.source, overwrite)
            result.conflicts.append(conflict)
            if overwrite:
                _set(result.data, fact.fact, fact.value)
                result.written.append(fact)
    profile_from_data(result.data, vocabulary, source)  # the merged profile must load, or nothing is written
    return result


def new_profile(fragment: Fragment) -> dict[str, Any]:
    data: dict[str, Any] = {"name": fragment.subject, "description": f"Facts imported from {fragment.source}."}
    for fact in fragment.facts:
        _set(data, fact.fact, fact.value)
    return data


def read_profile(path: Path) -> dict[str, Any]:
    data, _ = load_file(path)
    if not isinstance(data, dict):
        raise RegatlasError(Problem("a profile must be a mapping of fact groups to facts", str(path), 1))
    return data


def _plain(data: dict[str, Any]) -> Any:
    return json.loads(json.dumps(data, default=encode_value))  # dates and sets as plain values


def profile_json(data: dict[str, Any]) -> str:
    return json.dumps(_plain(data), indent=2, ensure_ascii=False) + "\n"


def profile_yaml(data: dict[str, Any], provenance: Path | None) -> str:
    where = provenance.name if provenance is not None else "not kept (give -o or --into to keep it)"
    header = (
        f"# Facts imported by `regatlas import`; where each came from: {where}\n"
        "# A fact that is absent is unknown. Answer the rest yourself (regatlas facts lists them).\n"
    )
    return header + yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, width=100)


def import_record(fragment: Fragment, merged: Merge) -> dict[str, Any]:
    return {
        "kind": fragment.kind,
        "file": fragment.source,
        "sha256": fragment.sha256,
        "subject": fragment.subject,
        "imported_on": dt.date.today().isoformat(),
        "written": [f.to_json() for f in merged.written],
        "agreed": [f.to_json() for f in merged.agreed],
        "conflicts": [c.to_json() for c in merged.conflicts],
        "not_mapped": [n.to_json() for n in fragment.not_mapped],
    }


def provenance_json(target: Path, record: dict[str, Any]) -> str:
    """The sidecar with this import added after the earlier ones (an unreadable old sidecar is an error)."""
    path = provenance_path(target)
    imports: list[Any] = []
    if path.exists():
        try:
            earlier = json.loads(path.read_text(encoding="utf-8"))
            imports = list(earlier["imports"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            message = f"cannot add to the provenance record: {exc}"
            raise RegatlasError(Problem(message, str(path), allowed=[f"a {PROVENANCE_FORMAT} file"])) from None
    document = {"format": PROVENANCE_FORMAT, "profile": target.name, "imports": [*imports, record]}
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
