"""Database engines: the URL, SQLite's settings (WAL, BEGIN IMMEDIATE for writes), migrations at start.

Two ways into one database: `read()` opens an ordinary transaction, `write()` one that holds the write lock from
its first statement (SQLite: BEGIN IMMEDIATE). Taking the lock up front means two writers queue instead of both
reading, then one failing to upgrade its lock ("database is locked") half-way through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from ..errors import Problem, RegatlasError

DEFAULT_DB = "sqlite:///regatlas.db"
SQLITE_BUSY_SECONDS = 30  # a writer waits this long for the lock before giving up
MIGRATIONS = Path(__file__).parent / "migrations"


def now() -> str:
    """The current time as the fixed-width UTC string every table stores."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def normalise_url(url: str) -> str:
    """`postgresql://` means psycopg 3 here (SQLAlchemy's default driver for that scheme is psycopg2)."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def _check_url(url: str) -> str:
    try:
        parsed = make_url(url)
    except ArgumentError:
        parsed = None
    if parsed is None or parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise RegatlasError(
            Problem(
                f"unsupported database URL {url!r}",
                path="--db",
                allowed=["sqlite:///PATH", "postgresql://USER:PASSWORD@HOST:PORT/DB"],
            )
        )
    return url


class Database:
    """The engine of one database and the sessions the service opens on it."""

    def __init__(self, url: str):
        self.url = _check_url(normalise_url(url))
        self.engine = _sqlite_engine(self.url) if self.is_sqlite else create_engine(self.url, pool_pre_ping=True)
        self._writer = self.engine.execution_options(regatlas_write=True)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def file_exists(self) -> bool:
        """For SQLite: whether the database file is there (opening a missing one would create it empty)."""
        path = make_url(self.url).database
        return not path or path == ":memory:" or Path(path).exists()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that holds the database's write lock (SQLite) from its start; commits on success."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest migration (Alembic, shipped in the package)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_engine(url: str) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the sqlite3 module, say when a transaction begins (the module would begin
        # lazily, after the first SELECT, and always DEFERRED).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged write survives a power cut
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        write = connection.get_execution_options().get("regatlas_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
