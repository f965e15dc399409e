"""`regatlas db copy`: every row of one service database into another, e.g. a SQLite file into PostgreSQL.

The copy is generic over the tables the code declares (models.Base.metadata), in foreign-key order, so a
table added later is copied without a change here. Ids are kept (the audit log and the answers name them), so
the target must be empty; everything is written in one transaction (all rows or none), PostgreSQL's id
sequences are then moved past the copied ids (or the next system created would collide with a copied one),
and the audit chain is verified on the target after the commit.

The source must be at the schema this regatlas makes (the target is migrated to it): a source at an older
revision is refused rather than migrated behind its owner's back.
"""

from __future__ import annotations

from dataclasses import dataclass

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from . import audit
from .db import MIGRATIONS, Database
from .models import Base

BATCH = 1000


class CopyRefused(Exception):
    """The copy cannot start: `side` ("source" or "target") says which database is at fault; nothing written."""

    def __init__(self, side: str, message: str):
        super().__init__(message)
        self.side, self.message = side, message


class SourceChainBroken(Exception):
    """The source's audit log is broken: it is not copied (a fresh database would hide where the break was)."""

    def __init__(self, verdict: audit.Verdict):
        super().__init__(f"entry {verdict.broken_seq}: {verdict.reason}")
        self.verdict = verdict


@dataclass
class CopyReport:
    counts: dict[str, int]  # table -> rows copied, in the order copied
    verdict: audit.Verdict  # the audit chain as recomputed on the target


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None  # the package ships its migrations
    return head


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def tables() -> list[Table]:
    """Every table the code declares, parents before the tables that reference them."""
    return list(Base.metadata.sorted_tables)


def _check_source(source: Database) -> None:
    revision, head = current_revision(source), head_revision()
    if revision != head:
        raise CopyRefused(
            "source",
            f"the source is at schema revision {revision}, this regatlas makes {head}: start `regatlas serve` on it "
            "once (it migrates), then copy",
        )
    verdict = audit.verify(source)
    if not verdict.ok:
        raise SourceChainBroken(verdict)


def _occupied(session: Session) -> dict[str, int]:
    counts = {table.name: session.execute(select(func.count()).select_from(table)).scalar_one() for table in tables()}
    return {name: count for name, count in counts.items() if count}


def _copy_table(source: Session, target: Session, table: Table) -> int:
    query = select(table).order_by(*table.primary_key.columns)
    copied = 0
    for rows in source.execute(query, execution_options={"yield_per": BATCH}).mappings().partitions():
        target.execute(insert(table), [dict(row) for row in rows])
        copied += len(rows)
    return copied


def _reset_sequences(target: Session) -> None:
    """PostgreSQL hands out ids from sequences, which explicit ids do not move: set each past the largest id."""
    for table in tables():
        column = table.autoincrement_column
        if column is None:
            continue
        target.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'
            ),
            {"table": table.name, "column": column.name},
        )


def copy_database(source: Database, target: Database) -> CopyReport:
    """Copy every row of `source` into the empty, migrated `target`; verify the audit chain there."""
    _check_source(source)
    target.migrate()
    with target.write() as writing, source.read() as reading:
        if reading.get_bind().dialect.name == "postgresql":  # one snapshot for every table (SQLite's read is one)
            reading.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        occupied = _occupied(writing)
        if occupied:
            held = ", ".join(f"{name}: {count}" for name, count in occupied.items())
            raise CopyRefused("target", f"the target already holds rows ({held}): copy into an empty database")
        counts = {table.name: _copy_table(reading, writing, table) for table in tables()}
        if writing.get_bind().dialect.name == "postgresql":
            _reset_sequences(writing)
    with target.read() as session:
        stored = {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one() for table in tables()
        }
    if stored != counts:  # cannot happen short of a concurrent writer on the target; then say so, never pass
        raise CopyRefused("target", f"the target holds {stored} rows after the copy, not the {counts} copied")
    return CopyReport(counts, audit.verify(target))
