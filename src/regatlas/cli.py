"""The `regatlas` command line; the commands live in `regatlas.commands`, one module per group."""

from __future__ import annotations

from .commands.app import app, main, rules_app

__all__ = ["app", "main", "rules_app"]

if __name__ == "__main__":
    main()
