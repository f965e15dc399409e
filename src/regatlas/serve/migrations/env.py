"""Alembic environment: migrations run on the connection the service hands over (db.Database.migrate)."""

from __future__ import annotations

from alembic import context

from regatlas.serve.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place: batch mode copies the table, so later migrations work on both.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
