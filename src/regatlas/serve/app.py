"""The application factory, and what `regatlas serve` does before serving: migrate, then make the first token."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from sqlalchemy import func, select

from .. import __version__
from . import audit, problems
from .auth import TokenMiddleware, issue
from .context import Service
from .db import Database
from .models import Token
from .routes import answers, assessments, audit_log, health, systems, tokens

DESCRIPTION = """The inventory of AI systems, their answers and assessments (docs/serve.md).

Every route but /health, /ready and this document needs `Authorization: Bearer <token>`. Errors are RFC 9457
problem details (`application/problem+json`) naming the field at fault in `errors[].field`."""


def create_app(database: Database, pack_dir: Path | None = None) -> FastAPI:
    app = FastAPI(
        title="regatlas",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # the interactive pages load scripts from a CDN; the OpenAPI document is enough
        redoc_url=None,
        dependencies=[Depends(problems.no_unknown_query)],
    )
    app.state.service = Service(database, pack_dir)
    problems.install(app)
    modules = (health, tokens, systems, answers, assessments, audit_log)
    for module in modules:
        app.include_router(module.router)
    app.state.api_routes = [route for module in modules for route in module.router.routes]  # for 405's Allow
    app.add_middleware(TokenMiddleware, database=database)
    return app


def first_admin_token(database: Database) -> str | None:
    """An admin token if the database has no token yet (the first start), else None. Shown once, never stored."""
    with database.write() as session:
        if session.execute(select(func.count()).select_from(Token)).scalar_one():
            return None
        row, secret = issue(session, "admin", "first admin", "regatlas serve")
        audit.append(session, "regatlas serve", "token.issue", f"token:{row.id}", {"role": "admin", "name": row.name})
    return secret
