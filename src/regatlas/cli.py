"""The whole `regatlas` command line as one typer application, for tests and tools that inspect it.

The `regatlas` command itself runs `regatlas.commands.app:main`, which builds only the group it needs.
"""

from __future__ import annotations

from .commands.app import build, main
from .commands.rules import rules_app

app = build()

__all__ = ["app", "main", "rules_app"]

if __name__ == "__main__":
    main()
