from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from regatlas.facts.profile import Profile, profile_from_data
from regatlas.rules.loader import Pack, load_pack

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack()


def make_profile(pack: Pack, facts: dict) -> Profile:
    return profile_from_data(facts, pack.vocabulary, "<test>")


AFTER_OMNIBUS = dt.date(2026, 11, 28)
BEFORE_OMNIBUS = dt.date(2026, 7, 1)
