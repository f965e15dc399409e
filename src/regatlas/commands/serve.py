"""`regatlas serve` (the inventory service) and `regatlas audit verify` (recompute its audit chain).

The service itself lives in regatlas.serve (docs/serve.md); this module only reads the options, opens the
database and turns database trouble into the CLI's errors (exit 2, naming --db).
"""

from __future__ import annotations

import logging.config
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import Problem, RegatlasError
from .options import PackOption

if TYPE_CHECKING:
    from ..serve.db import Database

EXIT_AUDIT_BROKEN = 6  # 4: an output the system failed to write; 5: a prohibition from a later date (assess)

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="REGATLAS_DB",
        help="Database URL: sqlite:///PATH (the default, a file here) or postgresql://USER:PASSWORD@HOST/DB.",
    ),
]
audit_app = typer.Typer(help="The service's audit log.", no_args_is_help=True)


def _open(url: str, migrate: bool) -> Database:
    from sqlalchemy.exc import SQLAlchemyError

    from ..serve.db import Database

    database = Database(url)
    if not migrate and database.is_sqlite and not database.file_exists():
        raise RegatlasError(Problem(f"no database file {database.engine.url.database}", path="--db"))
    try:
        database.migrate() if migrate else database.ping()
    except SQLAlchemyError as exc:
        raise _unusable(exc) from None
    return database


def _unusable(exc: Exception) -> RegatlasError:
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return RegatlasError(Problem(f"cannot use the database: {reason}", path="--db"))


def serve_cmd(
    db: DbOption = "sqlite:///regatlas.db",
    host: Annotated[str, typer.Option("--host", envvar="REGATLAS_HOST", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", envvar="REGATLAS_PORT", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    pack_dir: PackOption = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            envvar="REGATLAS_WORKERS",
            min=1,
            max=64,
            help="Server processes: about one per CPU core (each assesses on one core).",
        ),
    ] = 1,
) -> None:
    """Serve the inventory API: create or migrate the database, print the first admin token once, and serve."""
    import os

    import uvicorn

    from ..rules.loader import load_pack
    from ..serve import asgi
    from ..serve.app import first_admin_token
    from ..serve.logs import LOG_CONFIG

    load_pack(pack_dir, cache=True)  # a pack that cannot load stops here, as a CLI error, not in every worker
    database = _open(db, migrate=True)  # once, here: the workers only open the database
    token = first_admin_token(database)
    if token is not None:
        # Printed this once: only its hash is stored. stdout, flushed, so a supervisor's log or a script gets it.
        print(f"first start: admin token (shown once, keep it safe): {token}", flush=True)
    database.dispose()
    logging.config.dictConfig(LOG_CONFIG)
    where = database.engine.url.render_as_string()  # the password, if any, as ***
    log = logging.getLogger("regatlas.serve")
    log.info("serving http://%s:%s, database %s, %s worker(s)", host, port, where, workers)
    # The app factory reads its configuration from the environment, which every worker process inherits.
    settings = {
        asgi.DB_ENV: database.url,
        asgi.PACK_ENV: str(pack_dir.resolve()) if pack_dir is not None else None,
        asgi.SUPERVISOR_ENV: str(os.getpid()) if workers > 1 else None,  # one process: nobody to die with
    }
    for name, value in settings.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    uvicorn.run(
        f"{asgi.__name__}:{asgi.app_from_environment.__name__}",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=LOG_CONFIG,  # each worker process configures its own logging from it
        timeout_graceful_shutdown=10,
    )


def audit_verify_cmd(db: DbOption = "sqlite:///regatlas.db") -> None:
    """Recompute the audit log's hash chain; name the first broken entry (exit 6) or confirm it is whole."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..serve.audit import verify

    try:
        verdict = verify(_open(db, migrate=False))
    except SQLAlchemyError as exc:  # e.g. not a regatlas database: no audit_log table
        raise _unusable(exc) from None
    if verdict.ok:
        print(f"audit log intact: {verdict.entries} entries")
        return
    intact = f"{verdict.entries} entries before it intact"
    print(f"audit log broken at entry {verdict.broken_seq}: {verdict.reason} ({intact})")
    raise typer.Exit(EXIT_AUDIT_BROKEN)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
    audit_app.command("verify")(audit_verify_cmd)
    app.add_typer(audit_app, name="audit")
