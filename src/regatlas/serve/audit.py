"""The audit log: every write appends an entry whose hash covers the previous entry's hash.

hash = SHA-256 of the entry's canonical JSON (RFC 8785: one byte string for one value, on any machine), the
entry being {seq, at, actor, action, target, data, prev_hash}. The first entry's prev_hash is 64 zeros. Changing,
removing or reordering any entry breaks every hash after it, which `regatlas audit verify` recomputes.

Appends must be serialised: two writers reading the same last entry would both chain to it. On SQLite the
write transaction already holds the database's write lock (BEGIN IMMEDIATE, db.py); on PostgreSQL an
advisory lock, held to the end of the transaction, queues the appenders.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import rfc8785
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from .db import Database, now
from .models import AuditEntry

GENESIS = "0" * 64
ADVISORY_LOCK_KEY = 0x72656761746C6173  # "regatlas": the one lock every audit append takes on PostgreSQL


def canonical(value: Any) -> str:
    return rfc8785.dumps(value).decode()


def entry_hash(seq: int, at: str, actor: str, action: str, target: str, data: str, prev_hash: str) -> str:
    """The hash of one entry; `data` is the canonical JSON text as stored."""
    body = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "target": target,
        "data": json.loads(data),
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()


def append(session: Session, actor: str, action: str, target: str, data: dict[str, Any]) -> AuditEntry:
    """Append one entry in the caller's write transaction (so the entry commits with the change it records)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at, payload = now(), canonical(data)
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        target=target,
        data=payload,
        prev_hash=prev,
        hash=entry_hash(seq, at, actor, action, target, payload, prev),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass
class Verdict:
    """The outcome of a verification: how many entries were checked and the first broken one, if any."""

    entries: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


BATCH = 1000


def verify(database: Database) -> Verdict:
    """Recompute the chain from the first entry; stop at the first entry that does not match."""
    expected_seq, prev, count = 1, GENESIS, 0
    with database.read() as session:
        rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
        for entry in rows.yield_per(BATCH):
            reason = _broken(entry, expected_seq, prev)
            if reason:
                return Verdict(count, entry.seq, reason)
            expected_seq, prev, count = entry.seq + 1, entry.hash, count + 1
    return Verdict(count)


def _broken(entry: AuditEntry, expected_seq: int, prev: str) -> str:
    if entry.seq != expected_seq:
        return f"expected entry {expected_seq} next, found {entry.seq} (an entry is missing)"
    if entry.prev_hash != prev:
        return "prev_hash does not match the previous entry's hash"
    try:
        recomputed = entry_hash(
            entry.seq, entry.at, entry.actor, entry.action, entry.target, entry.data, entry.prev_hash
        )
    except ValueError:
        return "data is not valid JSON"
    if recomputed != entry.hash:
        return "hash does not match the entry's content (the entry was changed)"
    return ""


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "data": json.loads(entry.data),
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }
