"""The application factory, and what `regatlas serve` does before serving: migrate, then make the first token."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from fastapi import Depends, FastAPI
from sqlalchemy import func, select

from .. import __version__
from . import audit, problems, routes
from .auth import TokenMiddleware, issue
from .context import Service
from .db import Database
from .models import Token
from .scheduler import follow_the_law

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
        lifespan=follow_the_law,  # re-assessment at start and when the date rolls over (serve/scheduler.py)
    )
    app.state.service = Service(database, pack_dir)
    problems.install(app)
    modules = route_modules()
    for module in modules:
        app.include_router(module.router)
    app.state.api_routes = [route for module in modules for route in module.router.routes]  # for 405's Allow
    app.add_middleware(TokenMiddleware, database=database)
    return app


def route_modules() -> list[ModuleType]:
    """Every module of serve/routes that has a `router`, in name order: a new module of routes is served by
    being there (tests/test_serve_auth.py then makes its author say which roles each route allows)."""
    names = sorted(info.name for info in pkgutil.iter_modules(routes.__path__))
    modules = [importlib.import_module(f"{routes.__name__}.{name}") for name in names]
    return [module for module in modules if hasattr(module, "router")]


def first_admin_token(database: Database) -> str | None:
    """An admin token if the database has no token yet (the first start), else None. Shown once, never stored."""
    with database.write() as session:
        if session.execute(select(func.count()).select_from(Token)).scalar_one():
            return None
        row, secret = issue(session, "admin", "first admin", "regatlas serve")
        audit.append(session, "regatlas serve", "token.issue", f"token:{row.id}", {"role": "admin", "name": row.name})
    return secret
