"""CycloneDX ML-BOMs (JSON, specification 1.5 to 1.7): validated against the schema with cyclonedx-python-lib,
then the machine-learning-model component's licences and modelCard read as facts, each with its JSON pointer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import Problem, RegatlasError
from ..yamlio import LineMap, PathKey, dotted, parse_text
from .mapping import mapping, read_licence, read_task, silent_facts
from .records import Fragment, NotMapped
from .sources import read_text

# modelCard appeared in CycloneDX 1.5; these are the versions cyclonedx-python-lib validates that have it.
SPEC_VERSIONS = ("1.5", "1.6", "1.7")
MAX_SCHEMA_ERRORS = 20
ML_MODEL = "machine-learning-model"
INTENDED_USE = (
    "no fact of the vocabulary is a free-text use; the uses it describes are answered with the system.* and "
    "deployment.* facts (e.g. system.decision_areas)"
)
# modelCard fields kept in the provenance record, with why they map to no fact.
RECORDED = {
    ("modelParameters", "datasets"): "datasets",
    ("modelParameters", "approach"): "the learning approach maps to no fact",
    ("modelParameters", "architectureFamily"): "the architecture maps to no fact",
    ("modelParameters", "modelArchitecture"): "the architecture maps to no fact",
    ("modelParameters", "inputs"): "input formats map to no fact",
    ("modelParameters", "outputs"): "output formats are media types, not kinds of synthetic content; not read",
    ("considerations", "users"): INTENDED_USE,
    ("considerations", "useCases"): INTENDED_USE,
    ("considerations", "technicalLimitations"): "limitations map to no fact",
    ("considerations", "ethicalConsiderations"): "ethical considerations map to no fact",
    ("considerations", "fairnessAssessments"): "fairness assessments map to no fact",
    ("considerations", "environmentalConsiderations"): "energy figures are not training compute in FLOP",
    ("quantitativeAnalysis",): "performance metrics map to no fact",
}


def pointer(path: PathKey) -> str:
    """A JSON pointer (RFC 6901) for a path of keys and indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _parse(text: str, source: str) -> tuple[dict[str, Any], LineMap]:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegatlasError(Problem(f"malformed JSON: {exc.msg} (column {exc.colno})", source, exc.lineno)) from None
    except RecursionError:
        raise RegatlasError(Problem("values nested too deep", source)) from None
    data, lines = parse_text(text, source)  # the same limits as every input, and a line for every path
    if not isinstance(data, dict):
        raise RegatlasError(Problem("a CycloneDX BOM is a JSON object", source, 1))
    return data, lines


def _validate(text: str, data: dict[str, Any], lines: LineMap, source: str) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonValidator

    version = data.get("specVersion")
    if data.get("bomFormat") != "CycloneDX" or version not in SPEC_VERSIONS:
        where = "bomFormat" if data.get("bomFormat") != "CycloneDX" else "specVersion"
        allowed = ["CycloneDX"] if where == "bomFormat" else list(SPEC_VERSIONS)
        message = f"{data.get(where)!r} is not a CycloneDX ML-BOM this command reads"
        raise RegatlasError(Problem(message, source, lines.line((where,)), where, allowed))
    errors = JsonValidator(SchemaVersion.from_version(version)).validate_str(text, all_errors=True)
    if errors is None:
        return
    problems = []
    for error in list(errors)[:MAX_SCHEMA_ERRORS]:
        detail = error.data
        path = tuple(detail.absolute_path)
        message = f"not valid under the CycloneDX {version} schema: {detail.message}"
        problems.append(Problem(message[:400], source, lines.line(path), pointer(path) or "/"))
    raise RegatlasError(problems)


def _models(node: Any, path: PathKey) -> list[tuple[PathKey, dict[str, Any]]]:
    """Every machine-learning-model component, nested ones included, with its path."""
    found: list[tuple[PathKey, dict[str, Any]]] = []
    if isinstance(node, dict):
        if node.get("type") == ML_MODEL and "name" in node:
            found.append((path, node))
        for key in ("component", "components"):
            if key in node:
                found += _models(node[key], (*path, key))
        if "metadata" in node:
            found += _models(node["metadata"], (*path, "metadata"))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found += _models(item, (*path, i))
    return found


def _select(data: dict[str, Any], wanted: str | None, source: str) -> tuple[PathKey, dict[str, Any]]:
    models = _models(data, ())
    names = [m.get("bom-ref") or m["name"] for _, m in models]
    if wanted is not None:
        chosen = [(p, m) for p, m in models if wanted in (m.get("bom-ref"), m["name"])]
        if not chosen:
            raise RegatlasError(
                Problem(f"no machine-learning-model component {wanted!r}", source, path="--component", allowed=names)
            )
        return chosen[0]
    if len(models) != 1:
        message = (
            "the BOM has no machine-learning-model component"
            if not models
            else (f"the BOM has {len(models)} machine-learning-model components; name one with --component")
        )
        raise RegatlasError(Problem(message, source, allowed=names))
    return models[0]


def _licences(component: dict[str, Any], path: PathKey, fragment: Fragment) -> None:
    licences = component.get("licenses")
    if not isinstance(licences, list) or not licences:
        return
    if len(licences) > 1:
        fragment.not_mapped.append(
            NotMapped(pointer((*path, "licenses")), licences, "several licences; answer the fact yourself")
        )
        return
    entry = licences[0]
    if "expression" in entry:
        field, stated = (*path, "licenses", 0, "expression"), entry["expression"]
    elif "id" in entry.get("license", {}):
        field, stated = (*path, "licenses", 0, "license", "id"), entry["license"]["id"]
    else:
        field, stated = (*path, "licenses", 0, "license", "name"), entry.get("license", {}).get("name")
    if isinstance(stated, str):
        fragment.add_or_note(read_licence(stated, pointer(field)))


def _model_card(card: dict[str, Any], path: PathKey, fragment: Fragment) -> None:
    parameters = card.get("modelParameters", {})
    if isinstance(parameters.get("task"), str):
        fragment.add_or_note(read_task(parameters["task"], pointer((*path, "modelParameters", "task"))))
    for keys, why in RECORDED.items():
        node: Any = card
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        if node is not None:
            reason = mapping().not_mapped.get(why, why)
            fragment.not_mapped.append(NotMapped(pointer((*path, *keys)), node, reason))


def read_cyclonedx(path: Path, component: str | None = None) -> Fragment:
    """The facts an ML-BOM states about one machine-learning-model component, each with its JSON pointer."""
    text, digest = read_text(path)
    source = str(path)
    data, lines = _parse(text, source)
    _validate(text, data, lines, source)
    where, model = _select(data, component, source)
    fragment = Fragment("cyclonedx", source, digest, str(model.get("bom-ref") or model["name"]))
    _licences(model, where, fragment)
    if isinstance(model.get("modelCard"), dict):
        _model_card(model["modelCard"], (*where, "modelCard"), fragment)
    else:
        fragment.not_mapped.append(NotMapped(pointer((*where, "modelCard")), None, "the component has no modelCard"))
    if model.get("tags"):
        fragment.not_mapped.append(NotMapped(pointer((*where, "tags")), model["tags"], "tags map to no fact"))
    fragment.not_mapped.extend(silent_facts())
    return fragment


__all__ = ["dotted", "pointer", "read_cyclonedx"]
