from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from regatlas.facts.profile import Profile, profile_from_data
from regatlas.rules.loader import default_pack_root, load_pack
from regatlas.rules.pack import Pack

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack()


def make_profile(pack: Pack, facts: dict) -> Profile:
    return profile_from_data(facts, pack.vocabulary, "<test>")


# The facts that put an AI system in the AI Act's scope (Art. 2(1), with every Art. 2 exclusion ruled out).
IN_SCOPE = {
    "system.is_ai_system": True,
    "territory.placed_on_eu_market": True,
    "system.exclusively_military_defence_security": False,
    "system.sole_purpose_scientific_research": False,
    "system.pre_market_research_only": False,
}

AFTER_OMNIBUS = dt.date(2026, 11, 28)
BEFORE_OMNIBUS = dt.date(2026, 7, 1)


URL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024R1689"
GOOD_RULE = f"""
  - id: good_rule
    kind: obligation
    title: A duty
    addressee: [provider]
    citation: {{article: "9", url: "{URL}"}}
    status: verified
    versions:
      - valid_from: 2024-08-01
        act: Regulation (EU) 2024/1689
        applies_from: 2026-08-02
        when: system.is_ai_system
    tests:
      - name: holds
        facts: {{system.is_ai_system: true}}
        expect: "yes"
"""


def write_pack(tmp_path: Path, rules: str) -> Path:
    """A one-instrument pack (the real vocabulary and EU instrument.yaml) with the given rules."""
    root = tmp_path / "pack"
    shutil.copytree(default_pack_root() / "vocabulary", root / "vocabulary")
    shutil.copytree(default_pack_root() / "jurisdictions", root / "jurisdictions")
    shutil.copytree(default_pack_root() / "themes", root / "themes")
    folder = root / "eu" / "test_act"
    (folder / "rules").mkdir(parents=True)
    shutil.copy(default_pack_root() / "eu" / "ai_act" / "instrument.yaml", folder / "instrument.yaml")
    (folder / "rules" / "r.yaml").write_text("rules:\n" + textwrap.dedent(rules).strip("\n") + "\n")
    return root
