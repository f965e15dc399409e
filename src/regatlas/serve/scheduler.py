"""When the follow-up runs inside `regatlas serve`: at start, then whenever the date rolls over.

A thread of its own (the run is database and CPU work, not something to interleave with requests on the event
loop) wakes at least hourly and just after local midnight, the first moment a change date can have arrived (the
change dates are days). Each wake looks cheaply whether the pack revision or the date moved since the last run
(serve/followup.py run_needed) and only then runs; several workers may all look, the run's lock makes the work
happen once. Shutdown sets an event the thread waits on, and waits for a run in progress to commit.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .context import Service
from .followup import reassess, run_needed

ACTOR = "regatlas serve"  # the audit log's actor for runs the service starts itself
WAKE_SECONDS = 3600.0
STOP_SECONDS = 60.0  # how long shutdown waits for a run in progress
log = logging.getLogger("regatlas.serve.followup")


def seconds_to_wake(now: dt.datetime) -> float:
    """Until the next wake: an hour, or one second past the next local midnight if that comes first."""
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), now.tzinfo)
    return max(1.0, min(WAKE_SECONDS, (midnight - now).total_seconds() + 1.0))


class Follower:
    """The background thread that keeps every system's status following the law."""

    def __init__(self, service: Service):
        self.service = service
        self._stop = threading.Event()
        self.looked = threading.Event()  # set once the first look (and run, if one was needed) is over
        self._thread = threading.Thread(target=self._loop, name="regatlas-follow", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(STOP_SECONDS)

    def tick(self) -> None:
        """One look, and a run if the pack or the date moved; a failure is logged and retried at the next wake."""
        today = dt.date.today()
        try:
            pack = self.service.pack
            if not run_needed(self.service.database, pack, today):
                return
            summary = reassess(self.service.database, pack, today, ACTOR).json()
        except Exception:  # the service keeps serving; the log says why the run failed
            log.exception("re-assessment failed; retried at the next wake")
            return
        log.info(
            "re-assessed %s of %s systems as of %s (pack %s): %s transitions",
            summary["reassessed"],
            summary["checked"],
            summary["as_of"],
            summary["pack_revision"],
            summary["transitions"],
        )

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self.looked.set()
            self._stop.wait(seconds_to_wake(dt.datetime.now().astimezone()))


@asynccontextmanager
async def follow_the_law(app: FastAPI) -> AsyncIterator[None]:
    """The app's lifespan: the follower runs from start-up to shutdown."""
    follower = Follower(app.state.service)
    app.state.follower = follower
    follower.start()
    try:
        yield
    finally:
        follower.stop()
