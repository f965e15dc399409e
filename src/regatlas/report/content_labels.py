"""A content check (evidence/content_labels.py) as text and JSON.

The text says per file, first, whether a machine-readable AI marking was found (yes, no or unknown) and why,
then the C2PA and XMP details, what the file bears on each labelling duty, and always that a visible label was
not checked; the duties with their citations and what no file can show follow once at the end.
"""

from __future__ import annotations

import json

MARKING = {
    "yes": "AI marking found",
    "no": "no AI marking found",
    "unknown": "marking UNKNOWN",
}
C2PA_STATUS = {
    "absent": "no manifest",
    "not_embeddable": "no manifest (the format has no embedded C2PA manifest)",
    "remote": "a manifest elsewhere, not fetched",
    "unreadable": "a manifest that could not be read",
}


def content_check_json(result: dict) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def _c2pa_lines(c2pa: dict) -> list[str]:
    if c2pa["status"] != "read":
        lines = [f"  C2PA: {C2PA_STATUS[c2pa['status']]}"]
        return lines + ([f"    {c2pa['note']}"] if c2pa["note"] else [])
    lines = [
        f"  C2PA: manifest {c2pa['manifest_id']}, validation {c2pa['validation_state']}: signature "
        f"{c2pa['signature']}, signer {c2pa['signer']}"
        + (f" ({c2pa['signer_name']}, issued by {c2pa['signer_issuer']})" if c2pa["signer_name"] else "")
    ]
    if c2pa["claim_generator"]:
        lines.append(f"    claim generator: {c2pa['claim_generator']}")
    for action in c2pa["actions"]:
        agent = f", by {action['software_agent']}" if action["software_agent"] else ""
        where = f" (ingredient {action['ingredient']})" if action["ingredient"] else ""
        source = action["source_type"] or "no digital source type"
        lines.append(f"    action {action['action']}{where}: {source}{agent}")
    lines += [f"    failure {f['code']}: {f['explanation']}" for f in c2pa["failures"]]
    return lines


def _xmp_lines(xmp: dict) -> list[str]:
    if xmp["status"] == "not_image":
        return ["  XMP: not read (not an image)"]
    if xmp["status"] == "absent":
        return ["  XMP: none"]
    if xmp["status"] == "unreadable":
        return [f"  XMP: {xmp['note']}"]
    types = ", ".join(xmp["source_types"]) or "none"
    return [f"  XMP: DigitalSourceType {types}"]


def _duty_lines(entry: dict) -> list[str]:
    lines = []
    for duty in entry["duties"]:
        lines.append(f"  {duty['citation']}: {duty['bears']}")
        parts = "; ".join(
            f"{name}: {value if value is not None else 'not found'}" for name, value in duty["parts"].items()
        )
        lines.append(f"    {parts}")
    return lines


def _file_lines(entry: dict) -> list[str]:
    return [
        f"{entry['file']}: {MARKING[entry['ai_marking']]}",
        f"  {entry['says']}",
        *_c2pa_lines(entry["c2pa"]),
        *_xmp_lines(entry["xmp"]),
        *_duty_lines(entry),
        f"  visible label: {entry['visible_label']}",
    ]


def _duties_lines(result: dict) -> list[str]:
    lines = ["Labelling duties this check bears on (from the rule pack):"]
    for duty in result["duties"]:
        when = f", applies from {duty['applies_from']}" if duty["applies_from"] else ", date depends on the system"
        lines.append(f"  {duty['instrument']} {duty['citation']} ({duty['jurisdiction']}, {duty['rule']}{when})")
        lines.append(f"    {duty['title']}")
        lines.append(f"    {duty['url']}")
        lines.append(f"    not shown by a file: {duty['limit']}")
    return lines


def render_content_check_text(result: dict) -> str:
    anchors = result["trust_anchors"] or "none given (every signer is untrusted unless the SDK trusts it)"
    lines = [f"Content labels, checked {result['checked_on']}; trust anchors: {anchors}", ""]
    for entry in result["files"]:
        lines += [*_file_lines(entry), ""]
    lines += [*_duties_lines(result), "", "What this check cannot tell:"]
    lines += [f"  - {limit}" for limit in result["cannot_tell"]]
    return "\n".join(lines) + "\n"
