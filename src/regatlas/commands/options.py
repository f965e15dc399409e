"""Option types and formats shared by every command group."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


PackOption = Annotated[
    Path | None, typer.Option("--pack", help="Rule-pack folder (default: the bundled pack).", show_default=False)
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Assess the law as it stood on this date, YYYY-MM-DD (default: today).")
]
