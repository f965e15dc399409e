"""`regatlas audit export`: the audit log as JSON lines with a signed checkpoint, and its verification.

Each line but the last is one entry, {seq, at, actor, action, target, data, prev_hash, hash}, written as RFC
8785 canonical JSON: exactly the stored data and hashes, one byte string per entry on any machine, so the
chain can be recomputed from the file alone (serve/audit.py gives the hash). The last line is the checkpoint:

    {"checkpoint": {"format", "entries", "last_seq", "last_hash", "exported_at", "algorithm", "public_key",
                    "signature"}}

where `signature` is the Ed25519 signature of the canonical JSON of the checkpoint without `signature`. The last
hash covers every entry before it (the chain), so the one signature vouches for the whole file: changing,
removing, reordering or adding an entry breaks the chain or the checkpoint; changing the checkpoint breaks the
signature; re-signing with another key is caught by comparing the key with the one the auditor expects.

An export is made only of a whole chain: a log that is broken in the database is refused (and named), never
signed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select

from . import signing
from .audit import BATCH, GENESIS, canonical, entry_hash, entry_json
from .db import Database, now
from .models import AuditEntry

FORMAT = "regatlas-audit-export/1"
ENTRY_FIELDS = ("seq", "at", "actor", "action", "target", "data", "prev_hash", "hash")
CHECKPOINT_FIELDS = ("format", "entries", "last_seq", "last_hash", "exported_at", "algorithm", "public_key")


class ChainBroken(Exception):
    """The database's audit chain is broken at this entry: nothing is exported."""

    def __init__(self, seq: int, reason: str):
        super().__init__(f"entry {seq}: {reason}")
        self.seq, self.reason = seq, reason


@dataclass
class Chain:
    """The chain read so far: how many entries, the last seq and hash."""

    entries: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS

    def broken(self, entry: dict[str, Any]) -> str:
        """Why this entry does not continue the chain ("" when it does)."""
        if entry["seq"] != self.last_seq + 1:
            return f"expected entry {self.last_seq + 1} next, found {entry['seq']} (an entry is missing or moved)"
        if entry["prev_hash"] != self.last_hash:
            return "prev_hash does not match the previous entry's hash"
        fields = [entry[name] for name in ("seq", "at", "actor", "action", "target")]
        if entry_hash(*fields, canonical(entry["data"]), entry["prev_hash"]) != entry["hash"]:
            return "hash does not match the entry's content (the entry was changed)"
        return ""

    def add(self, entry: dict[str, Any]) -> None:
        self.entries, self.last_seq, self.last_hash = self.entries + 1, entry["seq"], entry["hash"]


def line(value: dict[str, Any]) -> bytes:
    return canonical(value).encode() + b"\n"


def _stored_entries(database: Database) -> Iterator[dict[str, Any]]:
    with database.read() as session:
        rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
        for entry in rows.yield_per(BATCH):
            try:
                yield entry_json(entry)
            except ValueError:
                raise ChainBroken(entry.seq, "data is not valid JSON") from None


def checkpoint(chain: Chain, key: Ed25519PrivateKey) -> dict[str, Any]:
    body = {
        "format": FORMAT,
        "entries": chain.entries,
        "last_seq": chain.last_seq,
        "last_hash": chain.last_hash,
        "exported_at": now(),
        "algorithm": signing.ALGORITHM,
        "public_key": signing.raw_public(key.public_key()),
    }
    return {**body, "signature": signing.sign(key, canonical(body).encode())}


def write_export(database: Database, key: Ed25519PrivateKey, handle: IO[bytes]) -> dict[str, Any]:
    """Write every entry, checking the chain as it goes (ChainBroken: stop), then the signed checkpoint."""
    chain = Chain()
    for entry in _stored_entries(database):
        reason = chain.broken(entry)
        if reason:
            raise ChainBroken(entry["seq"], reason)
        handle.write(line(entry))
        chain.add(entry)
    signed = checkpoint(chain, key)
    handle.write(line({"checkpoint": signed}))
    return signed


def exporter(database: Database, key: Ed25519PrivateKey, result: dict[str, Any]) -> Callable[[Path], None]:
    """A writer for regatlas.outputs: the export into the temporary file; the checkpoint left in `result`."""

    def write(temporary: Path) -> None:
        with temporary.open("wb") as handle:
            result.update(write_export(database, key, handle))

    return write


@dataclass
class ExportVerdict:
    """What verify_export found: entries checked, the first broken line (1-based) and why, the checkpoint."""

    entries: int = 0
    broken_line: int | None = None
    reason: str = ""
    checkpoint: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.broken_line is None


class _Broken(Exception):
    def __init__(self, line_number: int, reason: str):
        super().__init__(reason)
        self.line_number, self.reason = line_number, reason


def _parsed(raw: bytes, number: int) -> dict[str, Any]:
    """One line as JSON, which must be an object in canonical form (so no byte can change unseen)."""
    try:
        text = raw.decode("utf-8")
        value = json.loads(text)
    except UnicodeDecodeError:
        raise _Broken(number, "not UTF-8 text") from None
    except ValueError:
        raise _Broken(number, "not JSON") from None
    if not isinstance(value, dict):
        raise _Broken(number, "not a JSON object")
    try:
        same = canonical(value) == text
    except (TypeError, ValueError):  # e.g. a number canonical JSON cannot hold
        same = False
    if not same:
        raise _Broken(number, "not in canonical form (RFC 8785): the line was edited")
    return value


def _entry(value: dict[str, Any], number: int) -> dict[str, Any]:
    if sorted(value) != sorted(ENTRY_FIELDS):
        raise _Broken(number, f"not an audit entry: its fields are {', '.join(sorted(value))}")
    text_fields = ("at", "actor", "action", "target", "prev_hash", "hash")
    if not isinstance(value["seq"], int) or not all(isinstance(value[name], str) for name in text_fields):
        raise _Broken(number, "not an audit entry: a field has the wrong type")
    return value


def _check_checkpoint(value: Any, chain: Chain, number: int, expected: Ed25519PublicKey | None) -> dict[str, Any]:
    if not isinstance(value, dict) or sorted(value) != sorted((*CHECKPOINT_FIELDS, "signature")):
        raise _Broken(number, f"the checkpoint must have exactly the fields {', '.join(CHECKPOINT_FIELDS)}, signature")
    if value["format"] != FORMAT or value["algorithm"] != signing.ALGORITHM:
        raise _Broken(number, f"not a checkpoint this regatlas reads ({FORMAT}, {signing.ALGORITHM})")
    stated = (value["entries"], value["last_seq"], value["last_hash"])
    if stated != (chain.entries, chain.last_seq, chain.last_hash):
        found = f"{chain.entries} entries, last {chain.last_seq}, last hash {chain.last_hash}"
        raise _Broken(number, f"the checkpoint does not match the entries before it (the file has {found})")
    key = signing.public_from_raw(value["public_key"]) if isinstance(value["public_key"], str) else None
    if key is None:
        raise _Broken(number, "the checkpoint's public_key is not an Ed25519 public key")
    body = {name: value[name] for name in CHECKPOINT_FIELDS}
    if not isinstance(value["signature"], str) or not signing.verifies(
        key, value["signature"], canonical(body).encode()
    ):
        raise _Broken(number, "the signature does not verify (the checkpoint was changed)")
    if expected is not None and signing.raw_public(expected) != value["public_key"]:
        raise _Broken(
            number, f"signed by the key {value['public_key']}, not the expected {signing.raw_public(expected)}"
        )
    return value


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            yield number, raw[:-1] if raw.endswith(b"\n") else raw


def verify_export(path: Path, expected: Ed25519PublicKey | None = None) -> ExportVerdict:
    """Recompute the chain from the file, then check the checkpoint and its signature (and the key, if given).
    Raises OSError when the file cannot be read."""
    chain, signed, number = Chain(), None, 0
    try:
        for number, raw in _lines(path):
            if signed is not None:
                raise _Broken(number, "a line after the checkpoint")
            value = _parsed(raw, number)
            if "checkpoint" in value and len(value) == 1:
                signed = _check_checkpoint(value["checkpoint"], chain, number, expected)
                continue
            entry = _entry(value, number)
            reason = chain.broken(entry)
            if reason:
                raise _Broken(number, reason)
            chain.add(entry)
        if signed is None:
            raise _Broken(number + 1, "no checkpoint line: the file is cut short or was not made by audit export")
    except _Broken as broken:
        return ExportVerdict(chain.entries, broken.line_number, broken.reason)
    return ExportVerdict(chain.entries, checkpoint=signed)
