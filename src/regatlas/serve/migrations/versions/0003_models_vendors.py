"""Models and vendors as records of their own, linked to the systems that rest on them.

Until now a system listed model and vendor names in two JSON text columns. This migration makes a record of
every name found there (provider and description empty, general-purpose unknown: nothing more was ever said),
links each system to its records, records the move in the audit log (one entry, so an auditor sees where the
records came from), and drops the two columns.

The columns are dropped with ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later, PostgreSQL), not batch mode's
copy of the table: that copy drops and renames `systems`, which the rows of answer_events and assessments
reference, and SQLite's foreign-key check refuses it (and cannot be switched off inside the migration's
transaction).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from alembic import op

from regatlas.serve.audit import ADVISORY_LOCK_KEY, GENESIS, canonical, entry_hash

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
STAMP = sa.String(32)
ACTOR = "migration 0003"

# The tables as this migration knows them (never the application's current declarations, which move on).
SYSTEMS = sa.table("systems", sa.column("id"), sa.column("models"), sa.column("vendors"))
AUDIT = sa.table(
    "audit_log", *(sa.column(c) for c in ("seq", "at", "actor", "action", "target", "data", "prev_hash", "hash"))
)
KINDS = {  # kind -> (record table, link table, link column, JSON column of systems)
    "models": ("models", "system_models", "model_id", "models"),
    "vendors": ("vendors", "system_vendors", "vendor_id", "vendors"),
}


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
    ]


def _bookkeeping() -> list[sa.Column]:
    return [
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
    ]


def _create_tables() -> None:
    op.create_table(
        "models",
        *_record_columns(),
        sa.Column("provider", sa.String(200), nullable=False, index=True),
        sa.Column("general_purpose", sa.Boolean, nullable=True),
        sa.Column("model_version", sa.String(100), nullable=False),
        *_bookkeeping(),
        sa.UniqueConstraint("name", name="uq_models_name"),
    )
    op.create_table(
        "vendors",
        *_record_columns(),
        sa.Column("contact", sa.String(500), nullable=False),
        *_bookkeeping(),
        sa.UniqueConstraint("name", name="uq_vendors_name"),
    )
    for records, links, column, _ in KINDS.values():
        op.create_table(
            links,
            sa.Column("system_id", BIG_ID, sa.ForeignKey("systems.id"), primary_key=True, autoincrement=False),
            sa.Column(column, BIG_ID, sa.ForeignKey(f"{records}.id"), primary_key=True, autoincrement=False),
        )
        op.create_index(f"ix_{links}_{column}", links, [column])


def _names_by_system(connection: sa.Connection, json_column: str) -> dict[int, list[str]]:
    rows = connection.execute(sa.select(SYSTEMS.c.id, SYSTEMS.c[json_column]).order_by(SYSTEMS.c.id))
    return {system_id: sorted(set(json.loads(names or "[]"))) for system_id, names in rows}


def _move(connection: sa.Connection, kind: str, stamp: str) -> list[dict]:
    """Make a record of each name the systems list and link them; the records made, with the systems linked."""
    records, links, column, json_column = KINDS[kind]
    by_system = _names_by_system(connection, json_column)
    names = sorted({name for listed in by_system.values() for name in listed})
    if not names:
        return []
    extra = {"provider": "", "general_purpose": None, "model_version": ""} if kind == "models" else {"contact": ""}
    common = {"description": "", "archived": False, "version": 1, "created_at": stamp, "updated_at": stamp}
    record_table = sa.table(records, *(sa.column(c) for c in ("id", "name", *extra, *common)))
    connection.execute(record_table.insert(), [{"name": name, **extra, **common} for name in names])
    ids = dict(connection.execute(sa.select(record_table.c.name, record_table.c.id)).all())
    link_table = sa.table(links, sa.column("system_id"), sa.column(column))
    pairs = [{"system_id": s, column: ids[n]} for s, listed in by_system.items() for n in listed]
    connection.execute(link_table.insert(), pairs)
    return [
        {"id": ids[name], "name": name, "systems": [s for s, listed in by_system.items() if name in listed]}
        for name in names
    ]


def _audit(connection: sa.Connection, data: dict, stamp: str) -> None:
    """One audit entry for the move, chained like every other (serve/audit.py)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    last = connection.execute(sa.select(AUDIT.c.seq, AUDIT.c.hash).order_by(AUDIT.c.seq.desc()).limit(1)).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    payload = canonical(data)
    digest = entry_hash(seq, stamp, ACTOR, "records.migrate", "inventory", payload, prev)
    row = {"seq": seq, "at": stamp, "actor": ACTOR, "action": "records.migrate", "target": "inventory"}
    connection.execute(AUDIT.insert(), [{**row, "data": payload, "prev_hash": prev, "hash": digest}])


def upgrade() -> None:
    _create_tables()
    connection, stamp = op.get_bind(), _stamp()
    moved = {kind: _move(connection, kind, stamp) for kind in KINDS}
    if any(moved.values()):
        _audit(connection, moved, stamp)
    for column in ("models", "vendors"):
        op.drop_column("systems", column)


def downgrade() -> None:
    """The names back into the systems' JSON columns (the records' other fields are lost)."""
    for column in ("models", "vendors"):
        op.add_column("systems", sa.Column(column, sa.Text, nullable=False, server_default="[]"))
    connection = op.get_bind()
    for records, links, column, json_column in KINDS.values():
        query = sa.text(f"SELECT l.system_id, r.name FROM {links} l JOIN {records} r ON r.id = l.{column}")
        by_system: dict[int, list[str]] = {}
        for system_id, name in connection.execute(query):
            by_system.setdefault(system_id, []).append(name)
        systems = sa.table("systems", sa.column("id"), sa.column(json_column))
        for system_id, names in by_system.items():
            update = systems.update().where(systems.c.id == system_id)
            connection.execute(update.values({json_column: json.dumps(sorted(names))}))
    for table in ("system_vendors", "system_models", "vendors", "models"):
        op.drop_table(table)
