"""Read and validate a file's C2PA manifest with c2pa-python (the C2PA SDK's Python binding).

The SDK checks the claim's signature, the hashes that bind the manifest to the content, and whether the signing
certificate chains to a trust anchor; this module turns its answer into what a content check reports: is the
manifest valid, is its signer trusted, and which actions with which digital source types it records. The check
is offline on purpose: no remote manifest is fetched and no certificate status asked for over the network, so a
file that only points to a manifest elsewhere is reported as such, not silently looked up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, RegatlasError

ACTION_LABELS = ("c2pa.actions", "c2pa.actions.v2")
TRUSTED, UNTRUSTED = "signingCredential.trusted", "signingCredential.untrusted"


@dataclass
class Action:
    """One action (c2pa.created, c2pa.opened, c2pa.edited...) of the active manifest, or of the manifest of an
    ingredient it was made from (an edited AI image keeps its origin there)."""

    action: str
    source_type: str | None
    software_agent: str | None
    when: str | None
    ingredient: str | None = None  # the ingredient's title when the action is in an ingredient's manifest


@dataclass
class C2paReading:
    """What the SDK found. status: absent, read, unreadable, remote (a manifest elsewhere, not fetched), or
    not_embeddable (a format C2PA does not embed a manifest in)."""

    status: str
    validation_state: str | None = None  # the SDK's word: Invalid, Valid (signature and hashes good) or Trusted
    signature: str = "unknown"  # valid, invalid or unknown (no manifest read)
    signer: str = "unknown"  # trusted, untrusted or unknown
    signer_name: str | None = None
    signer_issuer: str | None = None
    signed_at: str | None = None  # only when the signature carries a time-stamp
    claim_generator: str | None = None
    manifest_id: str | None = None
    instance_id: str | None = None
    actions: list[Action] = field(default_factory=list)
    failures: list[dict[str, str]] = field(default_factory=list)
    note: str | None = None


class TrustAnchorError(RegatlasError):
    """The --trust-anchors file is not a PEM bundle the SDK accepts."""


def context(anchors_pem: str | None) -> Any:
    """An SDK context for reading: offline, and trusting the given PEM anchors besides the SDK's own (none by
    default: without anchors every signer is untrusted, which is the honest answer)."""
    import c2pa

    settings: dict[str, Any] = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    if anchors_pem is not None:
        settings["trust"] = {"user_anchors": anchors_pem}
    try:
        return c2pa.Context.from_dict(settings)
    except c2pa.C2paError as error:
        raise TrustAnchorError(
            Problem(f"the trust anchors were refused: {error}", path="--trust-anchors", allowed=["PEM certificates"])
        ) from None


def read_c2pa(path: Path, sdk_context: Any, is_image: bool) -> C2paReading:
    """The manifest of one file. A file the SDK cannot parse at all is an error naming it, unless Pillow read it
    as an image: then the manifest, not the file, is what is broken, and that is a finding."""
    import c2pa

    try:
        with path.open("rb") as stream:
            reader = c2pa.Reader.try_create(stream, context=sdk_context)
            if reader is None:
                return C2paReading("absent")
            with reader:
                return _reading(reader.json())
    except c2pa.C2paError.NotSupported:
        return C2paReading("not_embeddable", note="C2PA has no embedded manifest for this format")
    except c2pa.C2paError.RemoteManifest as error:
        return C2paReading("remote", note=f"the file points to a manifest elsewhere, not fetched (offline): {error}")
    except c2pa.C2paError as error:
        if not is_image:
            raise RegatlasError(Problem(f"cannot read the file: {error}", file=str(path))) from None
        return C2paReading("unreadable", note=f"a C2PA manifest could not be read: {error}")


def _reading(text: str) -> C2paReading:
    import json

    store = json.loads(text)
    active = store.get("manifests", {}).get(store.get("active_manifest") or "", {})
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    successes = [entry.get("code") for entry in results.get("success", [])]
    failures = [
        {"code": e.get("code", ""), "explanation": e.get("explanation", "")} for e in results.get("failure", [])
    ]
    state = store.get("validation_state")
    info = active.get("signature_info") or {}
    return C2paReading(
        status="read",
        validation_state=state,
        signature="invalid" if state == "Invalid" else "valid" if state in ("Valid", "Trusted") else "unknown",
        signer=_signer(successes, [f["code"] for f in failures]),
        signer_name=info.get("common_name"),
        signer_issuer=info.get("issuer"),
        signed_at=info.get("time"),
        claim_generator=_generator(active),
        manifest_id=active.get("label") or store.get("active_manifest"),
        instance_id=active.get("instance_id"),
        actions=_store_actions(store),
        failures=failures,
    )


def _signer(successes: list[str], failures: list[str]) -> str:
    if TRUSTED in successes:
        return "trusted"
    if UNTRUSTED in failures:
        return "untrusted"
    return "unknown"


def _generator(manifest: dict) -> str | None:
    infos = manifest.get("claim_generator_info") or []
    if infos and isinstance(infos[0], dict) and infos[0].get("name"):
        first = infos[0]
        return f"{first['name']} {first['version']}" if first.get("version") else str(first["name"])
    return manifest.get("claim_generator")


def _agent(value: Any) -> str | None:
    # Actions v1 write the software agent as text; v2 as {name, version}.
    if isinstance(value, dict):
        return " ".join(str(value[k]) for k in ("name", "version") if value.get(k)) or None
    return str(value) if value else None


def _actions(manifest: dict, ingredient: str | None) -> list[Action]:
    actions = []
    for assertion in manifest.get("assertions", []):
        if assertion.get("label") not in ACTION_LABELS:
            continue
        for entry in (assertion.get("data") or {}).get("actions", []):
            actions.append(
                Action(
                    action=str(entry.get("action", "")),
                    source_type=entry.get("digitalSourceType"),
                    software_agent=_agent(entry.get("softwareAgent")),
                    when=entry.get("when"),
                    ingredient=ingredient,
                )
            )
    return actions


def _store_actions(store: dict) -> list[Action]:
    """The active manifest's actions, then those of its ingredients' manifests, following the ingredients down
    (each manifest once, so a store that refers to itself cannot loop)."""
    manifests = store.get("manifests", {})
    pending: list[tuple[str, str | None]] = [(store.get("active_manifest") or "", None)]
    seen: set[str] = set()
    actions: list[Action] = []
    while pending:
        label, ingredient = pending.pop(0)
        if label in seen or label not in manifests:
            continue
        seen.add(label)
        manifest = manifests[label]
        actions += _actions(manifest, ingredient)
        for entry in manifest.get("ingredients", []):
            if entry.get("active_manifest"):
                pending.append((entry["active_manifest"], entry.get("title") or entry["active_manifest"]))
    return actions
