"""User-facing errors: every one names where the problem is and what is allowed."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Problem:
    """One located problem in an input file."""

    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None
    allowed: list[str] = field(default_factory=list)
    suggestion: str | None = None

    def render(self) -> str:
        text = ""
        if self.file:
            text = f"{self.file}:{self.line}: " if self.line is not None else f"{self.file}: "
        if self.path:
            text += f"{self.path}: "
        text += self.message
        if self.suggestion:
            text += f" (did you mean '{self.suggestion}'?)"
        if self.allowed:
            shown = ", ".join(self.allowed[:25])
            more = f", ... ({len(self.allowed) - 25} more)" if len(self.allowed) > 25 else ""
            text += f"; allowed: {shown}{more}"
        return text


class RegatlasError(Exception):
    """A user mistake (bad profile, bad pack, bad option). The CLI maps it to exit code 2."""

    exit_code = 2

    def __init__(self, problems: Problem | Iterable[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(p.render() for p in self.problems))


class ProfileError(RegatlasError):
    """The profile does not match the fact vocabulary."""


class PackError(RegatlasError):
    """The rule pack or vocabulary is malformed or inconsistent."""


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt name, if any is reasonably close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None
