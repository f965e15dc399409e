"""What every command shares: the consoles, the date option, the cached pack, and option checks.

Kept light on purpose: this module is imported by every command at start-up, so it imports the pack loader,
the registry and the renderers only inside the functions that need them (`regatlas --help` and a cached
`assess` should not pay for what they do not use).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, RegatlasError, nearest

if TYPE_CHECKING:
    from rich.console import Console

    from ..rules.pack import Pack

EXIT_OK, EXIT_BAD_INPUT, EXIT_PROHIBITED = 0, 2, 3  # 4: an output could not be written (outputs.py)
# --fail-on-prohibited when a ban holds but applies only from a later date (an early warning, told apart from
# a ban in force); 4 is taken by "could not write the output" (outputs.py).
EXIT_PROHIBITED_LATER = 5


class _LazyConsole:
    """A rich Console made on first use: importing rich costs about 30 ms that JSON output never needs."""

    def __init__(self, **options: object):
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> object:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


# Piped output gets 120 columns rather than rich's 80, so tables of ids and citations stay readable. Markup is
# off: text from packs, profiles and file names ("[/red]") is printed as written, never read as styles (styles
# come from Text objects).
out = _LazyConsole(soft_wrap=False, markup=False, width=None if sys.stdout.isatty() else 120)
err = _LazyConsole(stderr=True, markup=False)


def parse_as_of(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RegatlasError(Problem(f"bad date {text!r}", path="--as-of", allowed=["a date YYYY-MM-DD"])) from None


def load(pack_dir: Path | None) -> Pack:
    """The pack the command runs on, from the cache when it is unchanged."""
    from ..rules.loader import load_pack

    return load_pack(pack_dir, cache=True)


def one_of(value: str | None, allowed: list[str], option: str, what: str) -> None:
    """An option's value must be one the command knows: an unknown one is an error, never an empty answer."""
    if value is not None and value not in allowed:
        raise RegatlasError(
            Problem(f"unknown {what} '{value}'", path=option, allowed=allowed, suggestion=nearest(value, allowed))
        )


def codes(pack: Pack, written: list[str], option: str) -> list[str]:
    """Canonical jurisdiction codes for the codes a user wrote; an unknown one is an error naming the nearest."""
    canonical_codes = []
    for code in written:
        canonical = pack.registry.normalise(code)
        if canonical is None:
            raise RegatlasError(pack.registry.unknown(code, path=option))
        canonical_codes.append(canonical)
    return canonical_codes


def chosen_instruments(
    pack: Pack, day: dt.date, instruments: list[str] | None, places: list[str] | None
) -> list[str] | None:
    """The instruments --instrument and --jurisdiction narrow the assessment to (None: all)."""
    from ..rules.touch import narrowed

    chosen = None
    if instruments:
        unknown = [i for i in instruments if i not in pack.instruments]
        if unknown:
            raise RegatlasError(
                Problem(
                    f"unknown instrument '{unknown[0]}'",
                    path="--instrument",
                    allowed=list(pack.instruments),
                    suggestion=nearest(unknown[0], pack.instruments),
                )
            )
        chosen = list(instruments)
    if places:
        near = narrowed(pack, codes(pack, places, "--jurisdiction"), day)
        chosen = [i for i in (chosen or near) if i in near]
    return chosen


def emit_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def report_problems(error: RegatlasError) -> None:
    """Print an error's located problems on stderr, one per line (the same words main() uses)."""
    from rich.text import Text

    for problem in error.problems:
        err.print(Text("error: ", style="bold red") + Text(problem.render()))
