"""The quantity vocabulary says, for each quantity, whether differing values conflict or diverge; it is checked."""

from __future__ import annotations

import shutil

import pytest

from regatlas.errors import PackError
from regatlas.rules.loader import default_pack_root
from regatlas.rules.themes import load_vocabularies


def vocabulary_with(tmp_path, old: str, new: str):
    folder = tmp_path / "themes"
    shutil.copytree(default_pack_root() / "themes", folder)
    text = (folder / "themes.yaml").read_text()
    assert old in text
    (folder / "themes.yaml").write_text(text.replace(old, new))
    return load_vocabularies(folder)


def test_the_shipped_vocabulary_decides_every_quantity(pack):
    quantities = pack.vocabularies.quantities
    assert {q.id: q.differing_values for q in quantities.values() if q.differing_values == "exclusive"} == {
        "label_visible": "exclusive",
        "label_machine_readable": "exclusive",
        "detection_tool": "exclusive",
    }
    assert quantities["recipient"].divergence_category == "different_recipient"
    assert quantities["report_deadline_days"].divergence_category == "different_deadline"
    assert quantities["label_standard"].divergence_category == "different_standard"
    # A title with commas is quoted, so it is read whole (it used to be cut at the first comma).
    assert quantities["retention_days"].title == "how long records, logs or data must or may be kept"
    assert not any(t.practice for t in pack.vocabularies.themes.values())


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    differing_values: cumulative\n    divergence: different_recipient", "", "needs differing_values"),
        (
            "differing_values: cumulative, divergence: different_lead_time",
            "differing_values: sometimes",
            "not 'sometimes'",
        ),
        (
            "differing_values: cumulative, divergence: different_lead_time",
            "differing_values: exclusive",
            "must be cumulative",
        ),
        ("divergence: different_recipient", "divergence: recipients", "must read different_<what>"),
        (
            "{unit: days, title: advance notice before use,",
            "{unit: days, title: advance notice, before use,",
            "unknown keys",
        ),
        ("{id: consent, title:", "{id: consent, practice: maybe, title:", "optionally practice"),
    ],
)
def test_bad_quantity_and_theme_entries_are_rejected(tmp_path, old, new, message):
    with pytest.raises(PackError, match=message):
        vocabulary_with(tmp_path, old, new)


def test_a_theme_may_be_marked_a_practice(tmp_path):
    vocab = vocabulary_with(tmp_path, "{id: consent, title:", "{id: consent, practice: true, title:")
    assert vocab.themes["consent"].practice and not vocab.themes["minors_protection"].practice
