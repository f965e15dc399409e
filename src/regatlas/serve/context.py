"""What every route reaches: the database and the pack, one of each per process."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request

from ..rules.pack import Pack
from .db import Database


@dataclass
class Service:
    database: Database
    pack_dir: Path | None = None
    _pack: Pack | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def pack(self) -> Pack:
        """The pack, loaded once per process through the cached loader (the first request may pay for it)."""
        if self._pack is None:
            with self._lock:
                if self._pack is None:
                    from ..rules.loader import load_pack

                    self._pack = load_pack(self.pack_dir, cache=True)
        return self._pack


async def service(request: Request) -> Service:
    """Async, as it does no I/O: FastAPI runs a plain function dependency in a worker thread."""
    return request.app.state.service
