"""Reading an instrument's rule files: each rule validated on its own, so one bad rule is reported once at its
place and neither hides its neighbours nor makes their references to it look unknown.

Part of the instrument builder (rules/build.py), which holds the state these methods share.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import Problem
from ..facts.vocabulary import Vocabulary
from ..yamlio import LineMap, PathKey, load_file
from .model import Rule, RulesFile
from .themes import Vocabularies
from .validation import adapter, pydantic_problems


class RuleReading:
    folder: Path
    vocabulary: Vocabulary
    vocabularies: Vocabularies
    problems: list[Problem]
    broken: set[str]  # ids of rules that failed validation (reported once, at their place)

    def _read_rules(self) -> list[tuple[Rule, str, LineMap, PathKey]]:
        files = sorted((self.folder / "rules").glob("*.yaml"))  # declarations and treaties may have none
        seen: dict[str, str] = {}
        out = []
        for path in files:
            data, lines = load_file(path)
            for i, rule in self._valid_rules(data, str(path), lines):
                where = f"{path}:{lines.line(('rules', i))}"
                if rule.id in seen:
                    self.problems.append(
                        Problem(
                            f"duplicate rule id '{rule.id}' (first at {seen[rule.id]})",
                            str(path),
                            lines.line(("rules", i)),
                        )
                    )
                    continue
                seen[rule.id] = where
                out.append((rule, str(path), lines, ("rules", i)))
        return out

    def _valid_rules(self, data: object, source: str, lines: LineMap) -> list[tuple[int, Rule]]:
        """The rules of one file that pass validation, each checked on its own: one bad rule is reported once,
        at its place, and neither hides its neighbours nor makes their references to it look unknown."""
        try:
            adapter(RulesFile).validate_python({**data, "rules": []} if isinstance(data, dict) else data)
        except ValidationError as exc:
            self.problems.extend(pydantic_problems(exc, source, lines))
            return []
        raw_rules = data.get("rules") if isinstance(data, dict) else None
        if not isinstance(raw_rules, list):
            self.problems.append(Problem("rules must be a list of rules", source, lines.line(("rules",)), "rules"))
            return []
        valid = []
        for i, raw in enumerate(raw_rules):
            try:
                valid.append((i, adapter(Rule).validate_python(raw)))
            except ValidationError as exc:
                self.problems.extend(pydantic_problems(exc, source, lines, ("rules", i)))
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    self.broken.add(raw["id"])  # known to exist: references to it are not a second error
        return valid
