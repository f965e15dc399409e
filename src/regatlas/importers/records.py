"""What an import found: facts with their provenance, and statements that map to no fact."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ImportedFact:
    """One fact read from a source field, with the field, what it stated and why that settles the fact."""

    fact: str
    value: Any  # JSON-ready: bool, number, string or a sorted list
    field: str  # the card field (`license`) or the BOM's JSON pointer (`/components/0/licenses/0/license/id`)
    stated: Any  # the field's value as written
    basis: str
    source: str  # the URL of the reading's source (OSI list, Hugging Face tasks)

    def to_json(self) -> dict[str, Any]:
        return {
            "fact": self.fact,
            "value": self.value,
            "field": self.field,
            "stated": self.stated,
            "basis": self.basis,
            "source": self.source,
        }


@dataclass(frozen=True)
class NotMapped:
    """A field the source states (or a fact it leaves open), kept so that nothing read is silently dropped."""

    field: str
    stated: Any
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "stated": self.stated, "why": self.why}


@dataclass
class Fragment:
    """The facts one file states, ready to become a profile or to be merged into one."""

    kind: str  # "model-card" or "cyclonedx"
    source: str  # the file read
    sha256: str
    subject: str  # the model the facts are about (card title or BOM component)
    facts: list[ImportedFact] = field(default_factory=list)
    not_mapped: list[NotMapped] = field(default_factory=list)

    def add(self, fact: ImportedFact) -> None:
        """Keep the first statement of a fact; a second one that disagrees is recorded, not merged silently."""
        earlier = next((f for f in self.facts if f.fact == fact.fact), None)
        if earlier is None:
            self.facts.append(fact)
        elif earlier.value != fact.value:
            why = f"disagrees with {earlier.field} ({earlier.value!r}); the first statement is kept"
            self.not_mapped.append(NotMapped(fact.field, fact.stated, why))

    def add_or_note(self, reading: ImportedFact | NotMapped) -> None:
        if isinstance(reading, ImportedFact):
            self.add(reading)
        else:
            self.not_mapped.append(reading)

    def values(self) -> dict[str, Any]:
        return {f.fact: f.value for f in self.facts}
