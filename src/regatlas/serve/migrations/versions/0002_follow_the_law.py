"""Assessments that follow the law: each system's current status, the transitions between statuses and the
follow-up service's own state (the last pack revision and date it re-assessed on).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
STAMP = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "system_status",
        sa.Column("system_id", BIG_ID, sa.ForeignKey("systems.id"), primary_key=True, autoincrement=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("pack_revision", sa.String(64), nullable=False),
        sa.Column("profile_hash", sa.String(64), nullable=False),
        sa.Column("system_version", sa.Integer, nullable=False),
        sa.Column("findings", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("next_change", sa.String(10), nullable=True),
        sa.Column("updated_at", STAMP, nullable=False),
    )
    op.create_table(
        "transitions",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("system_id", BIG_ID, sa.ForeignKey("systems.id"), nullable=False, index=True),
        sa.Column("recorded_at", STAMP, nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False, index=True),
        sa.Column("cause", sa.String(16), nullable=False),
        sa.Column("old_revision", sa.String(64), nullable=True),
        sa.Column("new_revision", sa.String(64), nullable=False),
        sa.Column("finding", sa.String(200), nullable=False),
        sa.Column("instrument", sa.String(200), nullable=False),
        sa.Column("provision", sa.Text, nullable=False),
        sa.Column("old_value", sa.String(8), nullable=True),
        sa.Column("new_value", sa.String(8), nullable=True),
        sa.Column("assessment_id", BIG_ID, sa.ForeignKey("assessments.id"), nullable=True),
        sa.Column("words", sa.Text, nullable=False),
    )
    op.create_table(
        "followup_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("pack_revision", sa.String(64), nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("run_at", STAMP, nullable=False),
    )

    op.create_table(
        "system_labels",
        sa.Column("system_id", BIG_ID, sa.ForeignKey("systems.id"), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("value", sa.String(200), primary_key=True),
    )
    op.create_index("ix_system_labels_kind_value", "system_labels", ["kind", "value"])


def downgrade() -> None:
    op.drop_index("ix_system_labels_kind_value", table_name="system_labels")
    for table in ("system_labels", "followup_state", "transitions", "system_status"):
        op.drop_table(table)
