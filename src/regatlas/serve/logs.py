"""Structured logs: one JSON object per line on standard error, for the server's messages and each request.

A request's line names the client, method, path (with its query), HTTP version and status; never a header, so
never a token. Every line names the process (`pid`), so the lines of several workers (--workers) can be told apart.
Standard output is left to the one-time admin token of the first start.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
        }
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
            client, method, path, version, status = record.args
            entry |= {"client": client, "method": method, "path": path, "http": version, "status": status}
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _logger(level: str = "INFO") -> dict[str, Any]:
    return {"handlers": ["stderr"], "level": level, "propagate": False}


LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {"uvicorn": _logger(), "uvicorn.error": _logger(), "uvicorn.access": _logger(), "regatlas": _logger()},
}
