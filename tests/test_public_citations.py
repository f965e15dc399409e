"""Users must be able to follow every citation (issue 10 item 7): the non-EU packs cite statutes, gazettes, government
pages or named secondary sources, never internal documents, and every party entry names its public source."""

from __future__ import annotations

import re
from pathlib import Path

from regatlas.rules.loader import default_pack_root

# The EU pack and the EU vocabulary files are kept by another engineer and checked by their own tests.
EU_FILES = {
    "eu_high_risk.yaml",
    "eu_prohibitions.yaml",
    "system.yaml",
    "model.yaml",
    "operator.yaml",
    "deployment.yaml",
}
INTERNAL = re.compile(r"world\.md|fact sheet|the sheet\b|sheet's|\[BK\b|\bBK\]", re.IGNORECASE)


def non_eu_pack_files() -> list[Path]:
    root = default_pack_root()
    return [
        p
        for p in sorted(root.rglob("*.yaml"))
        if p.relative_to(root).parts[0] != "eu" and not (p.parent.name == "vocabulary" and p.name in EU_FILES)
    ]


def test_no_pack_text_points_at_internal_fact_sheets():
    offending = [
        f"{p.relative_to(default_pack_root())}:{n}: {line.strip()[:100]}"
        for p in non_eu_pack_files()
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if INTERNAL.search(line)
    ]
    assert offending == []


def test_every_party_entry_names_a_public_source(pack):
    missing = [
        f"{iid}:{p.party}"
        for iid, inst in pack.instruments.items()
        if inst.meta.instrument.jurisdiction != "EU"
        for p in inst.meta.instrument.parties
        if not (p.source and p.source.startswith(("https://", "http://")))
    ]
    assert missing == []
