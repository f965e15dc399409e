"""The application as each server process makes it: configured from the environment, warmed, its heap settled.

`regatlas serve` migrates the database and makes the first token once, in the parent, then hands uvicorn this
factory (`regatlas.serve.asgi:app_from_environment`); with `--workers N` every worker process calls it. It reads
REGATLAS_DB (the database URL; default sqlite:///regatlas.db) and REGATLAS_PACK (a rule-pack folder; default the
bundled pack). It neither migrates nor issues tokens: run `regatlas serve`, or `regatlas serve` once before
pointing uvicorn at this factory yourself.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
from pathlib import Path

from fastapi import FastAPI

from .app import create_app
from .db import DEFAULT_DB, Database

DB_ENV, PACK_ENV = "REGATLAS_DB", "REGATLAS_PACK"
SUPERVISOR_ENV = "REGATLAS_SUPERVISOR_PID"  # set by `regatlas serve --workers N` (N > 1) for its workers
PR_SET_PDEATHSIG = 1  # linux/prctl.h

# A request allocates some thousands of objects and frees them all by reference counting (no cycles), so the
# default threshold of 700 runs collections that find nothing; 20,000 lets a whole assessment pass between them.
GC_YOUNG_THRESHOLD = 20_000


def app_from_environment() -> FastAPI:
    """The app for one server process (uvicorn's `factory`)."""
    _die_with_supervisor()
    pack = os.environ.get(PACK_ENV)
    app = create_app(Database(os.environ.get(DB_ENV) or DEFAULT_DB), Path(pack) if pack else None)
    app.state.service.pack  # noqa: B018 - loaded now, so no request waits for it
    settle_heap()
    return app


def settle_heap() -> None:
    """Move what start-up made (the pack, the app, the libraries) out of the collector's sight and make young
    collections rarer. Without this, full collections walk every object of the pack again and again: measured on
    POST /v1/assess, a third of the CPU per request and pauses of up to 200 ms."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)


def _die_with_supervisor() -> None:
    """A worker asks Linux for SIGTERM when its supervisor dies. A supervisor killed with SIGKILL cannot stop its
    workers; left running they would keep the port and the database, and a restart could not bind the port."""
    supervisor = os.environ.get(SUPERVISOR_ENV)
    if not supervisor or not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != int(supervisor):  # it died before the request: nobody will send the signal
        os.kill(os.getpid(), signal.SIGTERM)
