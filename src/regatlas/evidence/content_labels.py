"""A content check, start to end: each file's C2PA manifest and XMP read, its marking judged three-valued, and
what that bears on each labelling duty.

A marking is "yes" when the file declares in machine-readable form that a trained model made or changed it (a
valid C2PA manifest with such an action, or IPTC/XMP DigitalSourceType), "no" when no such marking was found
(which says nothing about how the content was made), and "unknown" when a marking is there but cannot be
relied on (a manifest that fails validation, or that could not be read). A visible label is never read: every
result says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

from ..errors import Problem, RegatlasError
from ..rules.pack import Pack
from .content_c2pa import Action, C2paReading, context, read_c2pa
from .content_law import Duty, labelling_duties
from .content_source import describe, is_ai
from .content_xmp import XmpReading, read_xmp

FORMAT = "regatlas.content-check/1"
VISIBLE_LABEL = (
    "not checked: a visible (explicit) label, such as a caption, an overlay or a spoken notice, cannot be read "
    "by this check; whether the content bears one is unknown"
)
CANNOT_TELL = [
    VISIBLE_LABEL,
    "a file without a marking is not shown to be human-made: 'no marking found' says nothing about how the "
    "content was made",
    "watermarks in the pixels or the sound are not detected; only metadata and C2PA manifests are read",
    "an untrusted signer means no trust anchor given vouches for who signed, not that the manifest is false",
    "a marking stripped from a file leaves nothing to find, and a manifest kept elsewhere (remote) is not fetched",
]


def check_content(paths: list[Path], anchors: Path | None, pack: Pack, day: dt.date) -> dict:
    """The check of every file as plain data (the JSON output; text renders it)."""
    anchors_pem = _anchors(anchors) if anchors is not None else None
    sdk_context = context(anchors_pem)
    duties = labelling_duties(pack, day)
    files = [_check_file(path, sdk_context, duties) for path in paths]
    return {
        "format": FORMAT,
        "checked_on": day.isoformat(),
        "trust_anchors": str(anchors) if anchors is not None else None,
        "files": files,
        "duties": [_duty_record(duty) for duty in duties],
        "cannot_tell": CANNOT_TELL,
    }


def _anchors(path: Path) -> str:
    """The PEM text of the anchors, each certificate parsed first: the SDK takes a broken bundle silently and would
    then call every signer untrusted, which would read as a finding rather than a mistake in the option."""
    from cryptography import x509

    try:
        data = path.read_bytes()
        x509.load_pem_x509_certificates(data)
    except OSError as error:
        raise RegatlasError(Problem(f"cannot read the trust anchors: {error}", path="--trust-anchors")) from None
    except ValueError as error:
        raise RegatlasError(
            Problem(f"{path}: not PEM certificates ({error})", path="--trust-anchors", allowed=["PEM certificates"])
        ) from None
    return data.decode("utf-8", errors="replace")


def _check_file(path: Path, sdk_context: object, duties: list[Duty]) -> dict:
    if not path.is_file():
        raise RegatlasError(Problem("not a file" if path.exists() else "no such file", file=str(path)))
    xmp = read_xmp(path)
    c2pa = read_c2pa(path, sdk_context, is_image=xmp.status != "not_image")
    if xmp.status == "not_image" and c2pa.status == "not_embeddable":
        raise RegatlasError(
            Problem("unsupported file: neither an image nor a format C2PA embeds a manifest in", file=str(path))
        )
    marking, says = _marking(c2pa, xmp)
    provenance = _provenance(c2pa, xmp, marking)
    return {
        "file": str(path),
        "ai_marking": marking,
        "says": says,
        "visible_label": VISIBLE_LABEL,
        "c2pa": asdict(c2pa),
        "xmp": asdict(xmp),
        "provenance": provenance,
        "duties": [_bears(duty, marking, provenance) for duty in duties],
    }


def _c2pa_verdict(c2pa: C2paReading) -> tuple[str | None, str | None]:
    """(yes/no/unknown, why) from the manifest, or (None, None) when there is none."""
    if c2pa.status in ("absent", "not_embeddable"):
        return None, None
    if c2pa.status in ("unreadable", "remote"):
        return "unknown", f"a C2PA manifest that cannot be relied on: {c2pa.note}"
    ai = [a for a in c2pa.actions if is_ai(a.source_type)]
    signer = f"signer {c2pa.signer}"
    if c2pa.signature != "valid":
        codes = ", ".join(f["code"] for f in c2pa.failures) or c2pa.validation_state or "no validation result"
        return "unknown", f"a C2PA manifest that fails validation ({codes}): what it states cannot be relied on"
    if ai:
        found = "; ".join(f"{a.action} with {describe(a.source_type or '')}{_where(a)}" for a in ai)
        return "yes", f"a valid C2PA manifest ({signer}) records {found}"
    stated = sorted({describe(a.source_type) for a in c2pa.actions if a.source_type})
    detail = f"it states {', '.join(stated)}" if stated else "it states no digital source type"
    return "no", f"a valid C2PA manifest ({signer}) records no AI source; {detail}"


def _where(action: Action) -> str:
    return f" (in the manifest of its ingredient {action.ingredient})" if action.ingredient else ""


def _xmp_verdict(xmp: XmpReading) -> tuple[str | None, str | None]:
    if xmp.status == "unreadable":
        return "unknown", f"XMP metadata that cannot be read: {xmp.note}"
    if xmp.status != "read" or not xmp.source_types:
        return None, None
    if any(is_ai(t) for t in xmp.source_types):
        found = ", ".join(describe(t) for t in xmp.source_types if is_ai(t))
        return "yes", f"IPTC/XMP DigitalSourceType {found} (unsigned metadata: anyone can write or remove it)"
    return "no", f"IPTC/XMP DigitalSourceType states {', '.join(describe(t) for t in xmp.source_types)}, no AI source"


def _marking(c2pa: C2paReading, xmp: XmpReading) -> tuple[str, str]:
    """The file's marking, three-valued: a 'yes' from either source wins, then an 'unknown', then a 'no'."""
    verdicts = [v for v in (_c2pa_verdict(c2pa), _xmp_verdict(xmp)) if v[0] is not None]
    for value in ("yes", "unknown", "no"):
        reasons = [str(reason) for verdict, reason in verdicts if verdict == value]
        if reasons:
            others = [str(reason) for verdict, reason in verdicts if verdict != value]
            return value, "; ".join(reasons + [f"also: {other}" for other in others])
    return "no", "no marking found: no C2PA manifest and no IPTC/XMP DigitalSourceType"


def _provenance(c2pa: C2paReading, xmp: XmpReading, marking: str) -> dict:
    """The parts of a marking the duties list, where this file states them (None: not found)."""
    from_c2pa = c2pa.status == "read" and c2pa.signature == "valid"
    ai_actions = [a for a in c2pa.actions if is_ai(a.source_type)] if from_c2pa else []
    agent = next((a.software_agent for a in ai_actions if a.software_agent), None)
    when = next((a.when for a in ai_actions if a.when), None)
    signer = None
    if from_c2pa and c2pa.signer_name:
        # The signer of the claim is the best the file says about the provider; named as the signer, not more.
        issuer = f" (certificate issued by {c2pa.signer_issuer})" if c2pa.signer_issuer else ""
        signer = f"signer {c2pa.signer_name}{issuer}"
    return {
        "ai_marking": marking,
        "provider": signer,
        "system": agent or (c2pa.claim_generator if from_c2pa else None) or xmp.creator_tool,
        "time": (c2pa.signed_at if from_c2pa else None) or when or xmp.create_date,
        "identifier": (c2pa.instance_id or c2pa.manifest_id if from_c2pa else None) or xmp.instance_id,
    }


def _bears(duty: Duty, marking: str, provenance: dict) -> dict:
    # The marking part is "found" or "unknown", or None (not found) like any other part the file lacks.
    marked = {"yes": "found", "unknown": "unknown", "no": None}[marking]
    parts = {name: marked if field == "ai_marking" else provenance[field] for name, field in duty.parts}
    if marking == "yes":
        missing = [name for name, value in parts.items() if value is None]
        bears = "evidence toward the duty for this file: a machine-readable marking declares AI generation"
        bears += f"; not found in the file: {', '.join(missing)}" if missing else ""
    elif marking == "unknown":
        bears = "no evidence either way: the marking present cannot be relied on"
    else:
        bears = "no evidence that the duty is met for this file: no machine-readable AI marking found"
    return {"rule": duty.rule, "citation": f"{duty.instrument} {duty.citation}", "bears": bears, "parts": parts}


def _duty_record(duty: Duty) -> dict:
    record = asdict(duty)
    record["parts"] = [name for name, _ in duty.parts]
    return record
