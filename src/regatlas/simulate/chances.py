"""The archetype tables as arrays of chances (archetype x fact or member), made once per vocabulary.

Rows are drawn by indexing these arrays with each row's archetype, so a whole chunk of rows is sampled with one
comparison per fact. A NaN chance means the fact does not concern the archetype: its column stays null there.
"""

from __future__ import annotations

import numpy as np

from ..errors import Problem, RegatlasError
from ..facts.vocabulary import Vocabulary
from .archetypes import ARCHETYPES, UNIVERSAL_BOOL, UNIVERSAL_SET
from .figures import DATA, Figures


class Chances:
    """Archetype tables turned into arrays (archetype x ...) once per vocabulary."""

    def __init__(self, vocabulary: Vocabulary, figures: Figures):
        mix = figures.value("archetype_mix")
        unknown = set(mix) ^ set(ARCHETYPES)
        if unknown:
            raise RegatlasError(Problem(f"archetype mix and archetypes differ: {sorted(unknown)}", str(DATA)))
        self.names = list(ARCHETYPES)
        p = np.array([mix[a] for a in self.names], dtype=float)
        self.archetype_p = p / p.sum()
        self.vocabulary = vocabulary
        self.bool_p: dict[str, np.ndarray] = {}  # fact -> chance per archetype (nan: not relevant)
        self.set_p: dict[str, np.ndarray] = {}  # fact -> archetype x member chance (row of nan: not relevant)
        self.enum_p: dict[str, np.ndarray] = {}
        for fid, fact in vocabulary.facts.items():
            if fact.type == "bool":
                self.bool_p[fid] = np.array([self._chance(a, fid) for a in self.names], dtype=float)
            elif fact.type == "set":
                self.set_p[fid] = self._set_table(fid, list(fact.values))
            elif fact.type == "enum" and fid not in ("operator.size",):
                self.enum_p[fid] = self._enum_table(fid, list(fact.values))
        self.public_p = np.array([ARCHETYPES[a].get("public", 0.02) for a in self.names])
        self.gpai = np.array([a == "gpai_model" for a in self.names])
        self.users_p = np.array([1.0 if "system.monthly_users" in ARCHETYPES[a] else np.nan for a in self.names])

    def _chance(self, archetype: str, fid: str) -> float:
        spec = ARCHETYPES[archetype]
        if fid in spec:
            return float(spec[fid])
        if fid in UNIVERSAL_BOOL:
            return UNIVERSAL_BOOL[fid]
        return np.nan

    def _set_table(self, fid: str, members: list[str]) -> np.ndarray:
        table = np.full((len(self.names), len(members)), np.nan)
        for i, a in enumerate(self.names):
            spec = ARCHETYPES[a].get(fid, UNIVERSAL_SET.get(fid))
            if spec is not None:
                table[i] = [spec.get(m, 0.0) for m in members]
        return table

    def _enum_table(self, fid: str, members: list[str]) -> np.ndarray:
        """Cumulative chances per value (archetype x value), for drawing by comparison with one uniform draw."""
        table = np.full((len(self.names), len(members)), np.nan)
        for i, a in enumerate(self.names):
            spec = ARCHETYPES[a].get(fid + "=enum")
            if spec is not None:
                w = np.array([spec.get(m, 0.0) for m in members])
                table[i] = np.cumsum(w / w.sum())
        return table
