"""The tables. The schema itself is made by the Alembic migrations in migrations/versions (the only place that
creates or changes tables); these declarations are what the code reads and writes, and a test checks that the
migrated database and these declarations agree.

Timestamps are ISO 8601 UTC strings of fixed width ("2026-12-02T07:30:00.123456Z"): they sort as text, hash the
same on every database (the audit chain hashes them) and need no time-zone handling from the driver.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite makes only an INTEGER PRIMARY KEY an alias of the rowid (autoincrementing); PostgreSQL gets 64 bits.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class Token(Base):
    """An API token: only its SHA-256 hash is kept; `prefix` (the token's first characters) finds the row."""

    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[str | None] = mapped_column(String(32), nullable=True)


class System(Base):
    """An AI system in the inventory. `version` counts every change (metadata, answers, the models and vendors it
    is linked to): it is the ETag. Its models and vendors are records of their own, linked in system_models and
    system_vendors."""

    __tablename__ = "systems"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200), index=True)
    lifecycle: Mapped[str] = mapped_column(String(32))
    roles: Mapped[str] = mapped_column(Text)  # JSON list, validated against the vocabulary's operator.roles
    places: Mapped[str] = mapped_column(Text)  # JSON list of canonical jurisdiction codes
    description: Mapped[str] = mapped_column(Text)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class AnswerEvent(Base):
    """One answer given: the fact, its value before and after (JSON; null = unknown), who, when and why."""

    __tablename__ = "answer_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    fact: Mapped[str] = mapped_column(String(200))
    old_value: Mapped[str] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    justification: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[str] = mapped_column(String(32))
    system_version: Mapped[int] = mapped_column(Integer)


class AssessmentRecord(Base):
    """A stored assessment, shaped like an OPA decision-log entry (decision id, revision, input, result, ...)."""

    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    decision_id: Mapped[str] = mapped_column(String(64))
    pack_revision: Mapped[str] = mapped_column(String(64))
    as_of: Mapped[str] = mapped_column(String(10))
    profile_hash: Mapped[str] = mapped_column(String(64))
    system_version: Mapped[int] = mapped_column(Integer)
    input: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    timestamp: Mapped[str] = mapped_column(String(32))


class AuditEntry(Base):
    """One entry of the append-only audit log; `hash` chains `prev_hash` (docs/serve.md, serve/audit.py)."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    data: Mapped[str] = mapped_column(Text)  # canonical JSON (RFC 8785), exactly what was hashed
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


Index("ix_answer_events_system_fact", AnswerEvent.system_id, AnswerEvent.fact)


class SystemStatus(Base):
    """A system's current status: the findings (yes/no/unknown) of its last assessment and what they add up to."""

    __tablename__ = "system_status"
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), primary_key=True, autoincrement=False)
    as_of: Mapped[str] = mapped_column(String(10))
    pack_revision: Mapped[str] = mapped_column(String(64))
    profile_hash: Mapped[str] = mapped_column(String(64))
    system_version: Mapped[int] = mapped_column(Integer)
    findings: Mapped[str] = mapped_column(Text)  # JSON object: finding key -> {value, instrument, provision}
    summary: Mapped[str] = mapped_column(Text)  # JSON: classes, instruments touched, prohibited
    next_change: Mapped[str | None] = mapped_column(String(10), nullable=True)  # the next date a rule changes
    updated_at: Mapped[str] = mapped_column(String(32))


class Transition(Base):
    """One finding that changed value between two statuses of a system, and why (cause: date, pack or answers).

    A value of None means the finding was not part of that status (new in, or gone from, the assessment)."""

    __tablename__ = "transitions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    recorded_at: Mapped[str] = mapped_column(String(32))
    as_of: Mapped[str] = mapped_column(String(10), index=True)
    cause: Mapped[str] = mapped_column(String(16))
    old_revision: Mapped[str | None] = mapped_column(String(64), nullable=True)
    new_revision: Mapped[str] = mapped_column(String(64))
    finding: Mapped[str] = mapped_column(String(200))
    instrument: Mapped[str] = mapped_column(String(200))
    provision: Mapped[str] = mapped_column(Text)
    old_value: Mapped[str | None] = mapped_column(String(8), nullable=True)
    new_value: Mapped[str | None] = mapped_column(String(8), nullable=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), nullable=True)
    words: Mapped[str] = mapped_column(Text)  # the line in words, as recorded ("since 2 Dec 2026: ... now applies")


class FollowupState(Base):
    """The follow-up's single row (id 1): the pack revision and date of its last re-assessment run."""

    __tablename__ = "followup_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    pack_revision: Mapped[str] = mapped_column(String(64))
    as_of: Mapped[str] = mapped_column(String(10))
    run_at: Mapped[str] = mapped_column(String(32))


class AiModel(Base):
    """A model in the register (a model may serve several systems). `general_purpose` is three-valued: None means
    nobody has said yet whether it is a general-purpose model. `version` counts changes (the ETag);
    `model_version` is the model's own release name."""

    __tablename__ = "models"
    __table_args__ = (UniqueConstraint("name", name="uq_models_name"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200), index=True)  # who makes it: a vendor's name, or in-house
    general_purpose: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    model_version: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class Vendor(Base):
    """A vendor in the register: who supplies a system or a part of it."""

    __tablename__ = "vendors"
    __table_args__ = (UniqueConstraint("name", name="uq_vendors_name"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class SystemModel(Base):
    """A system rests on a model."""

    __tablename__ = "system_models"
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), primary_key=True, autoincrement=False)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id"), primary_key=True, autoincrement=False, index=True)


class SystemVendor(Base):
    """A system is supplied (in whole or in part) by a vendor."""

    __tablename__ = "system_vendors"
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), primary_key=True, autoincrement=False)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), primary_key=True, autoincrement=False, index=True)


class SystemLabel(Base):
    """One thing a system's status says about it (an instrument reaching it, a risk class, a verdict): rewritten
    with the status, read by the system list's filters (serve/labels.py)."""

    __tablename__ = "system_labels"
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)


Index("ix_system_labels_kind_value", SystemLabel.kind, SystemLabel.value)
