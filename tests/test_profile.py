"""Profiles: unknown is never a default, and bad input gets a located, helpful error."""

from __future__ import annotations

import datetime as dt

import jsonschema
import pytest

from regatlas.errors import ProfileError
from regatlas.facts.profile import load_profile, profile_from_data
from regatlas.facts.schema import profile_schema


def test_nested_and_dotted_spellings_agree(pack):
    a = profile_from_data({"system": {"is_ai_system": True}}, pack.vocabulary, "a")
    b = profile_from_data({"system.is_ai_system": True}, pack.vocabulary, "b")
    assert a.facts == b.facts == {"system.is_ai_system": True}


@pytest.mark.parametrize("unknown", [None, "unknown"])
def test_null_and_unknown_mean_absent(pack, unknown):
    p = profile_from_data({"system": {"is_ai_system": unknown}}, pack.vocabulary, "x")
    assert p.facts == {}


def test_values_are_typed(pack):
    p = profile_from_data(
        {
            "model": {"training_compute_flop": "3.8e25", "placed_on_market_date": "2025-03-01"},
            "system": {"generated_content": ["text", "image"]},
            "operator": {"size": "medium"},
        },
        pack.vocabulary,
        "x",
    )
    assert p.facts["model.training_compute_flop"] == 3.8e25
    assert p.facts["model.placed_on_market_date"] == dt.date(2025, 3, 1)
    assert p.facts["system.generated_content"] == frozenset({"text", "image"})


def test_errors_name_file_line_path_and_allowed_values(pack, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: bad\nsystem:\n  is_ai_sytem: true\n  generated_content: [txt]\noperator:\n  size: huge\n"
        "model:\n  training_compute_flop: lots\n  placed_on_market_date: 2025-02-30\n"
    )
    with pytest.raises(ProfileError) as info:
        load_profile(path, pack.vocabulary)
    rendered = [p.render() for p in info.value.problems]
    assert f"{path}:3: system.is_ai_sytem: unknown fact (did you mean 'system.is_ai_system'?)" in rendered[0]
    assert "p.yaml:4" in rendered[1] and "did you mean 'text'" in rendered[1] and "allowed: text, image" in rendered[1]
    assert "p.yaml:6" in rendered[2] and "small_mid_cap" in rendered[2]
    assert "expected a number" in rendered[3]
    assert "expected a date YYYY-MM-DD" in rendered[4]
    assert info.value.exit_code == 2


def test_negative_compute_rejected(pack):
    with pytest.raises(ProfileError, match="at least 0"):
        profile_from_data({"model": {"training_compute_flop": -1}}, pack.vocabulary, "x")


def test_malformed_json_names_line(pack, tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{\n  "system": {"is_ai_system": true,}\n}\n')
    with pytest.raises(Exception) as info:
        load_profile(path, pack.vocabulary)
    assert "p.json:2" in str(info.value) and "malformed JSON" in str(info.value)


def test_schema_accepts_examples_and_rejects_typos(pack):
    schema = profile_schema(pack.vocabulary)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"system": {"is_ai_system": True, "generated_content": ["text"]}})
    assert not validator.is_valid({"system": {"is_ai_sytem": True}})
    assert not validator.is_valid({"operator": {"size": "huge"}})


def test_json_profiles_work_like_yaml(pack, tmp_path):
    import json

    from conftest import EXAMPLES

    yaml_profile = load_profile(EXAMPLES / "cv-screening.yaml", pack.vocabulary)
    path = tmp_path / "cv.json"
    path.write_text(
        json.dumps(
            {
                "name": yaml_profile.name,
                **{
                    group: {
                        k.split(".", 1)[1]: v for k, v in yaml_profile.to_json().items() if k.startswith(group + ".")
                    }
                    for group in pack.vocabulary.groups()
                },
            }
        )
    )
    assert load_profile(path, pack.vocabulary).facts == yaml_profile.facts


def test_jurisdiction_codes_are_validated_and_normalised(pack):
    p = profile_from_data({"territory": {"offered_in": ["de", "USA", "US-NY-NYC"]}}, pack.vocabulary, "x")
    assert p.facts["territory.offered_in"] == frozenset({"DE", "US", "US-NY-NYC"})
    with pytest.raises(ProfileError) as info:
        profile_from_data({"territory": {"offered_in": ["Germny"]}}, pack.vocabulary, "x")
    assert "unknown jurisdiction code 'Germny'" in str(info.value) and "did you mean 'DE'" in str(info.value)


def test_eu_facts_follow_from_the_lists_and_must_agree(pack):
    import datetime as dt

    from regatlas.engine.assess import assess

    assert pack.registry.within("GB", "EU", dt.date(2019, 6, 1))  # membership is dated: the UK left on 2020-01-31
    assert not pack.registry.within("GB", "EU", dt.date(2020, 2, 1))
    assert pack.registry.within("US-NY-NYC", "US", dt.date(2026, 1, 1))
    uk = profile_from_data(
        {"system": {"is_ai_system": True}, "territory": {"offered_in": ["GB"]}}, pack.vocabulary, "x"
    )
    assert "eu_ai_act" not in assess(pack, uk, dt.date(2026, 11, 28)).instruments  # the EU is not touched
    fr = profile_from_data(
        {"system": {"is_ai_system": True}, "territory": {"offered_in": ["FR"]}}, pack.vocabulary, "x"
    )
    scope = assess(pack, fr, dt.date(2026, 11, 28)).finding("eu_ai_act:territorial_scope")
    assert scope.outcome == "yes" and scope.trace.children[0].value is True  # placed_on_eu_market, derived
    contradiction = profile_from_data(
        {"territory": {"offered_in": ["FR"], "placed_on_eu_market": False}}, pack.vocabulary, "c.yaml"
    )
    with pytest.raises(ProfileError) as info:
        assess(pack, contradiction, dt.date(2026, 11, 28))
    assert "territory.placed_on_eu_market: says false, but territory.offered_in lists FR" in str(info.value)


def test_hong_kong_is_not_inside_mainland_china(pack):
    """Mainland PRC measures do not apply in Hong Kong, Macao or Taiwan, although ISO 3166-2 files them under CN."""
    import datetime as dt

    day = dt.date(2026, 11, 28)
    assert not pack.registry.within("CN-HK", "CN", day)
    assert pack.registry.within("CN-BJ", "CN", day)
