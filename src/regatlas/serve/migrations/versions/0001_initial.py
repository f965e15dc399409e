"""The first schema: tokens, systems, answer events, assessments and the append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
STAMP = sa.String(32)

# The audit log refuses UPDATE and DELETE in the database itself, so no code path (nor a hand-typed SQL
# statement) can rewrite history; only dropping the trigger can, and `regatlas audit verify` then finds the edit.
SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
]
POSTGRES_TRIGGERS = [
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
]


def upgrade() -> None:
    op.create_table(
        "tokens",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("prefix", sa.String(16), nullable=False, index=True),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("revoked_at", STAMP, nullable=True),
    )
    op.create_table(
        "systems",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False, index=True),
        sa.Column("lifecycle", sa.String(32), nullable=False),
        sa.Column("roles", sa.Text, nullable=False),
        sa.Column("places", sa.Text, nullable=False),
        sa.Column("models", sa.Text, nullable=False),
        sa.Column("vendors", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
    )
    op.create_table(
        "answer_events",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("system_id", BIG_ID, sa.ForeignKey("systems.id"), nullable=False, index=True),
        sa.Column("fact", sa.String(200), nullable=False),
        sa.Column("old_value", sa.Text, nullable=False),
        sa.Column("new_value", sa.Text, nullable=False),
        sa.Column("justification", sa.Text, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("system_version", sa.Integer, nullable=False),
    )
    op.create_index("ix_answer_events_system_fact", "answer_events", ["system_id", "fact"])
    op.create_table(
        "assessments",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("system_id", BIG_ID, sa.ForeignKey("systems.id"), nullable=False, index=True),
        sa.Column("decision_id", sa.String(64), nullable=False),
        sa.Column("pack_revision", sa.String(64), nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("profile_hash", sa.String(64), nullable=False),
        sa.Column("system_version", sa.Integer, nullable=False),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("timestamp", STAMP, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", BIG_ID, primary_key=True, autoincrement=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    for statement in SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.drop_table("audit_log")
    for table in ("assessments", "answer_events", "systems", "tokens"):
        op.drop_table(table)
