"""What an evaluation sees: one instrument's law as of a date, and the profile's facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..rules.pack import CompiledVersion, LoadedInstrument, LoadedRule


@dataclass
class LawAsOf:
    """The rule versions and parameter values of one instrument in force on one date."""

    instrument: LoadedInstrument
    as_of: dt.date
    versions: dict[str, CompiledVersion] = field(default_factory=dict)
    params: dict[str, object] = field(default_factory=dict)

    @classmethod
    def select(cls, instrument: LoadedInstrument, as_of: dt.date) -> LawAsOf:
        law = cls(instrument, as_of)
        for rule in instrument.rules.values():
            version = rule.version_at(as_of)
            if version is not None:
                law.versions[rule.id] = version
        for param_id in instrument.parameters:
            law.params[param_id] = instrument.param_at(param_id, as_of)
        return law

    def rule(self, rule_id: str) -> LoadedRule:
        return self.instrument.rules[rule_id]

    def in_force(self, rule_id: str) -> bool:
        return rule_id in self.versions
