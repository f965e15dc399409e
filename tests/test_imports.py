"""regatlas import model-card / cyclonedx (issue 13 item 4): real public model cards and CycloneDX ML-BOMs
(tests/data/model_cards/SOURCES.md, tests/data/cyclonedx/SOURCES.md), facts with their provenance, unknown
left unknown, merging that keeps a person's answers, and located errors for bad input."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regatlas.errors import RegatlasError
from regatlas.importers.cyclonedx import read_cyclonedx
from regatlas.importers.model_card import read_model_card

ROOT = Path(__file__).resolve().parents[1]
CARDS = ROOT / "tests" / "data" / "model_cards"
BOMS = ROOT / "tests" / "data" / "cyclonedx"
EXAMPLE = ROOT / "examples" / "open-weights-gpai.yaml"

# Registers the import group until commands/app.py lists it (as the bias-audit tests do for theirs).
MAIN = (
    "import sys\n"
    "from regatlas.commands import app\n"
    "app.COMMAND_GROUPS.setdefault('import', 'imports')\n"
    "app.GROUPS = app.GROUPS if 'imports' in app.GROUPS else (*app.GROUPS, 'imports')\n"
    "sys.argv = ['regatlas', *sys.argv[1:]]\n"
    "app.main()\n"
)


def regatlas(*args: str | Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "400"}
    command = [sys.executable, "-c", MAIN, *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def by_fact(fragment) -> dict:
    return {f.fact: f for f in fragment.facts}


def not_mapped(fragment) -> dict:
    return {n.field: n for n in fragment.not_mapped}


# --- Model cards ----------------------------------------------------------------------------------------------


def test_a_permissive_text_generation_card_gives_licence_and_content_with_their_fields():
    fragment = read_model_card(CARDS / "Qwen2.5-1.5B-quantized.w4a16.md")
    facts = by_fact(fragment)
    assert set(facts) == {"model.open_source_licence", "system.generated_content"}
    licence = facts["model.open_source_licence"]
    assert (licence.value, licence.field, licence.stated) == (True, "license", "apache-2.0")
    assert licence.source == "https://opensource.org/licenses" and "Apache-2.0" in licence.basis
    content = facts["system.generated_content"]
    assert (content.value, content.field, content.stated) == (["text"], "pipeline_tag", "text-generation")
    # a base model is recorded, never read as "modified by a downstream actor"
    assert not_mapped(fragment)["base_model"].stated == "Qwen/Qwen2.5-1.5B"
    assert fragment.subject == "Qwen2.5-1.5B-quantized.w4a16"


def test_a_model_specific_licence_and_a_silent_card_leave_the_facts_unknown():
    fragment = read_model_card(CARDS / "Qwen2-72B.md")
    facts = by_fact(fragment)
    # 72 billion parameters and text generation, yet the card states neither compute nor generality
    assert set(facts) == {"system.generated_content"}
    assert "model.training_compute_flop" not in facts and "model.general_purpose" not in facts
    assert not_mapped(fragment)["license"].stated == "other"
    assert not_mapped(fragment)["license_name"].stated == "tongyi-qianwen"
    reasons = " ".join(n.why for n in fragment.not_mapped if n.field == "(none)")
    assert "model.training_compute_flop" in reasons and "model.weights_public" in reasons


def test_a_similarity_model_generates_no_listed_content_and_its_datasets_are_kept():
    fragment = read_model_card(CARDS / "all-MiniLM-L6-v2.md")
    assert set(by_fact(fragment)) == {"model.open_source_licence"}
    recorded = not_mapped(fragment)
    assert recorded["pipeline_tag"].stated == "sentence-similarity"
    assert len(recorded["datasets"].stated) == 21 and "s2orc" in recorded["datasets"].stated


def test_a_malformed_metadata_block_is_refused_at_the_cards_line(tmp_path):
    card = tmp_path / "README.md"
    card.write_text("---\nlicense: mit\npipeline_tag: [text-generation\n---\n# A model\n")
    done = regatlas("import", "model-card", card)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{card}:3" in done.stderr or f"{card}:4" in done.stderr


def test_a_card_without_metadata_imports_nothing(tmp_path):
    card = tmp_path / "README.md"
    card.write_text("# Just prose\n\nTrained with 1e26 FLOP.\n")
    fragment = read_model_card(card)
    assert fragment.facts == [] and not_mapped(fragment)["(metadata)"].why == "the card has no YAML metadata block"


# --- CycloneDX ML-BOMs ----------------------------------------------------------------------------------------


def test_a_bom_licence_becomes_a_fact_named_by_its_json_pointer():
    fragment = read_cyclonedx(BOMS / "bert-base-cased.cdx.json")
    licence = by_fact(fragment)["model.open_source_licence"]
    assert (licence.value, licence.field, licence.stated) == (True, "/components/0/licenses/0/license/id", "Apache-2.0")
    assert not_mapped(fragment)["/components/0/tags"].stated[6] == "fill-mask"


def test_a_model_card_in_a_bom_is_read_field_by_field():
    fragment = read_cyclonedx(BOMS / "support-ticket-classifier.cdx.json")
    assert fragment.facts == []  # a classifier: no content generated, no licence given
    recorded = not_mapped(fragment)
    card = "/components/0/modelCard"
    assert recorded[f"{card}/modelParameters/task"].stated == "text-classification"
    assert recorded[f"{card}/considerations/useCases"].stated == [
        "Suggest an initial support queue for a newly received support ticket."
    ]
    assert recorded[f"{card}/modelParameters/datasets"].stated[0] == {"ref": "component-support-ticket-training-data"}


def test_the_published_bom_with_a_trailing_comma_is_refused_at_its_line():
    done = regatlas("import", "cyclonedx", BOMS / "bert-base-cased.published.cdx.json")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "bert-base-cased.published.cdx.json:9: malformed JSON" in done.stderr


def test_a_schema_violation_names_the_json_path_and_line(tmp_path):
    # the published BOM with its comma fixed still gives a licence both an id and a name, which 1.6 forbids
    text = (BOMS / "bert-base-cased.published.cdx.json").read_text().replace('49Z",', '49Z"')
    bom = tmp_path / "bom.json"
    bom.write_text(text)
    done = regatlas("import", "cyclonedx", bom)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{bom}:22: /components/0/licenses: not valid under the CycloneDX 1.6 schema" in done.stderr


def test_a_bad_enumeration_in_the_model_card_is_located(tmp_path):
    data = json.loads((BOMS / "support-ticket-classifier.cdx.json").read_text())
    data["components"][0]["modelCard"]["modelParameters"]["approach"]["type"] = "guessing"
    bom = tmp_path / "bom.json"
    bom.write_text(json.dumps(data, indent=2))
    with pytest.raises(RegatlasError) as caught:
        read_cyclonedx(bom)
    problem = caught.value.problems[0]
    assert problem.path == "/components/0/modelCard/modelParameters/approach/type"
    assert "'guessing' is not one of" in problem.message and problem.line is not None


@pytest.mark.parametrize(
    ("change", "where"),
    [({"specVersion": "1.4"}, "specVersion"), ({"bomFormat": "SPDX"}, "bomFormat")],
)
def test_other_formats_and_versions_are_refused_by_field(tmp_path, change, where):
    data = {**json.loads((BOMS / "bert-base-cased.cdx.json").read_text()), **change}
    bom = tmp_path / "bom.json"
    bom.write_text(json.dumps(data))
    with pytest.raises(RegatlasError) as caught:
        read_cyclonedx(bom)
    assert caught.value.problems[0].path == where


def test_several_models_need_a_component_named(tmp_path):
    data = json.loads((BOMS / "bert-base-cased.cdx.json").read_text())
    second = {**data["components"][0], "name": "bert-large-cased", "licenses": [{"license": {"id": "MIT"}}]}
    data["components"].append(second)
    bom = tmp_path / "bom.json"
    bom.write_text(json.dumps(data))
    with pytest.raises(RegatlasError) as caught:
        read_cyclonedx(bom)
    assert "2 machine-learning-model components" in caught.value.problems[0].message
    chosen = read_cyclonedx(bom, "bert-large-cased")
    assert by_fact(chosen)["model.open_source_licence"].field == "/components/1/licenses/0/license/id"


# --- Offline ----------------------------------------------------------------------------------------------------


def test_imports_never_touch_the_network(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("an import tried to use the network")

    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    from typer.testing import CliRunner

    from regatlas.commands.app import build

    app = build(("imports",))
    for args in (
        ["import", "model-card", str(CARDS / "Qwen2-72B.md"), "-o", str(tmp_path / "a.yaml")],
        ["import", "cyclonedx", str(BOMS / "bert-base-cased.cdx.json"), "-o", str(tmp_path / "b.yaml")],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
    # a Hub repository name that is not a local file is a missing file, never a download
    with pytest.raises(RegatlasError, match="file not found"):
        read_model_card(Path("Qwen/Qwen2-72B"))


# --- Profiles and merging ---------------------------------------------------------------------------------------


def test_a_new_profile_validates_and_assesses_with_its_provenance_beside_it(tmp_path):
    out = tmp_path / "model.yaml"
    done = regatlas("import", "model-card", CARDS / "Qwen2.5-1.5B-quantized.w4a16.md", "-o", out)
    assert done.returncode == 0, done.stderr
    assert "model.open_source_licence = True  (from license: 'apache-2.0')" in done.stderr
    provenance = json.loads((tmp_path / "model.yaml.provenance.json").read_text())
    record = provenance["imports"][0]
    assert provenance["format"] == "regatlas.import-provenance/1" and record["kind"] == "model-card"
    assert [(w["fact"], w["field"]) for w in record["written"]] == [
        ("model.open_source_licence", "license"),
        ("system.generated_content", "pipeline_tag"),
    ]
    assert regatlas("validate", out).returncode == 0
    assessed = regatlas("assess", out, "-f", "json")
    assert assessed.returncode == 0, assessed.stderr
    assert json.loads(assessed.stdout)["profile"]["facts"]["model.open_source_licence"] is True


def test_a_persons_answer_is_kept_and_the_conflict_reported(tmp_path):
    profile = tmp_path / "gpai.yaml"
    written = EXAMPLE.read_text().replace("open_source_licence: true", "open_source_licence: false")
    profile.write_text(written)
    done = regatlas("import", "cyclonedx", BOMS / "bert-base-cased.cdx.json", "--into", profile)
    assert done.returncode == 0, done.stderr
    assert "CONFLICT model.open_source_licence: the profile says False" in done.stderr
    assert profile.read_text() == written  # nothing imported: the file is untouched, comments and all
    conflict = json.loads((tmp_path / "gpai.yaml.provenance.json").read_text())["imports"][0]["conflicts"][0]
    assert conflict == {
        "fact": "model.open_source_licence",
        "profile_value": False,
        "imported_value": True,
        "field": "/components/0/licenses/0/license/id",
        "source": str(BOMS / "bert-base-cased.cdx.json"),
        "overwritten": False,
    }


def test_overwrite_replaces_the_answer_and_the_result_assesses(tmp_path):
    profile = tmp_path / "gpai.yaml"
    profile.write_text(EXAMPLE.read_text().replace("open_source_licence: true", "open_source_licence: false"))
    out = tmp_path / "merged.yaml"
    done = regatlas(
        "import", "cyclonedx", BOMS / "bert-base-cased.cdx.json", "--into", profile, "--overwrite", "-o", out
    )
    assert done.returncode == 0, done.stderr
    assessed = regatlas("assess", out, "-f", "json")
    assert assessed.returncode == 0, assessed.stderr
    facts = json.loads(assessed.stdout)["profile"]["facts"]
    assert facts["model.open_source_licence"] is True and facts["model.training_compute_flop"] == 3.8e25
    assert json.loads((tmp_path / "merged.yaml.provenance.json").read_text())["imports"][0]["conflicts"][0][
        "overwritten"
    ]


def test_imports_fill_unknown_facts_and_the_record_grows(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("name: Chat service\nsystem:\n  is_ai_system: true\n  generated_content: unknown\n")
    first = regatlas("import", "model-card", CARDS / "Qwen2-72B.md", "--into", profile)
    assert first.returncode == 0, first.stderr
    second = regatlas("import", "model-card", CARDS / "Qwen2.5-1.5B-quantized.w4a16.md", "--into", profile)
    assert second.returncode == 0, second.stderr
    assert "system.generated_content = ['text']  already in the profile" in second.stderr
    assessed = json.loads(regatlas("assess", profile, "-f", "json").stdout)["profile"]["facts"]
    assert assessed["system.generated_content"] == ["text"] and assessed["model.open_source_licence"] is True
    assert assessed["system.is_ai_system"] is True and "model.training_compute_flop" not in assessed
    imports = json.loads((tmp_path / "p.yaml.provenance.json").read_text())["imports"]
    assert [i["subject"] for i in imports] == ["Qwen2-72B", "Qwen2.5-1.5B-quantized.w4a16"]


def test_a_broken_profile_is_refused_before_anything_is_written(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("system:\n  is_ai_sytem: true\n")
    done = regatlas("import", "model-card", CARDS / "Qwen2-72B.md", "--into", profile)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "unknown fact" in done.stderr
    assert not (tmp_path / "p.yaml.provenance.json").exists()


def test_comments_are_kept_when_values_are_edited_in_place(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "name: Assistant chat\n"
        "system:\n"
        "  is_ai_system: true  # checked with legal\n"
        "  generated_content: unknown  # ask the vendor\n"
        "model:\n"
        "  open_source_licence: false  # our reading\n"
    )
    done = regatlas("import", "model-card", CARDS / "Qwen2.5-1.5B-quantized.w4a16.md", "--into", profile, "--overwrite")
    assert done.returncode == 0, done.stderr
    assert "written anew" not in done.stderr
    assert profile.read_text() == (
        "name: Assistant chat\n"
        "system:\n"
        "  is_ai_system: true  # checked with legal\n"
        '  generated_content: ["text"]  # ask the vendor\n'
        "model:\n"
        "  open_source_licence: true  # our reading\n"
    )


def test_a_new_fact_is_added_at_the_end_under_a_note_and_the_example_still_assesses(tmp_path):
    profile = tmp_path / "gpai.yaml"
    original = EXAMPLE.read_text()
    profile.write_text(original)
    done = regatlas("import", "model-card", CARDS / "Qwen2.5-1.5B-quantized.w4a16.md", "--into", profile)
    assert done.returncode == 0, done.stderr
    text = profile.read_text()
    assert text.startswith(original.rstrip("\n")) and "# This profile is about the model itself" in text
    assert text.endswith('system.generated_content: ["text"]\n')
    assert "by regatlas import model-card (see gpai.yaml.provenance.json)" in text
    assessed = regatlas("assess", profile, "-f", "json")
    assert assessed.returncode == 0, assessed.stderr
    assert json.loads(assessed.stdout)["profile"]["facts"]["system.generated_content"] == ["text"]


def test_a_block_list_is_replaced_by_writing_the_profile_anew(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("name: Images\nsystem:\n  generated_content:\n    - image\n")
    done = regatlas("import", "model-card", CARDS / "Qwen2-72B.md", "--into", profile, "--overwrite")
    assert done.returncode == 0, done.stderr
    assert "is written anew: its comments are not kept" in done.stderr
    facts = json.loads(regatlas("assess", profile, "-f", "json").stdout)["profile"]["facts"]
    assert facts == {"system.generated_content": ["text"]}


def test_a_json_profile_stays_json(tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"name": "X", "system": {"is_ai_system": True}}))
    done = regatlas("import", "cyclonedx", BOMS / "bert-base-cased.cdx.json", "--into", profile)
    assert done.returncode == 0, done.stderr
    assert json.loads(profile.read_text())["model"] == {"open_source_licence": True}
    assert regatlas("validate", profile).returncode == 0


def test_model_index_is_kept_and_a_malformed_one_is_refused(tmp_path):
    card = CARDS / "all-MiniLM-L6-v2.md"
    results = (
        "model-index:\n- name: all-MiniLM-L6-v2\n  results:\n  - task:\n      type: sentence-similarity\n"
        "    dataset:\n      name: STS Benchmark\n      type: mteb/stsbenchmark-sts\n"
        "    metrics:\n    - type: cos_sim_spearman\n      value: 82.03\n"
    )
    with_index = tmp_path / "README.md"
    with_index.write_text(card.read_text().replace("\n---\n", f"\n{results}---\n", 1))
    recorded = not_mapped(read_model_card(with_index))["model-index"].stated
    assert recorded[0]["results"][0]["metrics"][0]["value"] == 82.03
    broken = tmp_path / "broken.md"
    broken.write_text("---\nlicense: mit\nmodel-index: 3\n---\n# A model\n")
    done = regatlas("import", "model-card", broken)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "model-index: the card's metadata is not valid" in done.stderr
    assert "ignore_metadata_errors" not in done.stderr


# --- Any input: a fragment or a located error, never a traceback ------------------------------------------------

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12))
_METADATA = st.dictionaries(
    st.sampled_from(["license", "pipeline_tag", "datasets", "base_model", "model-index", "tags", "x", "1"]),
    st.recursive(
        _SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=8,
    ),
    max_size=5,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(metadata=_METADATA, raw=st.text(max_size=80))
def test_any_card_gives_a_fragment_or_a_located_error(tmp_path, metadata, raw):
    import yaml

    card = tmp_path / "README.md"
    for text in (f"---\n{yaml.safe_dump(metadata)}---\n# M\n", f"---\n{raw}\n---\n# M\n"):
        card.write_text(text, encoding="utf-8")
        try:
            fragment = read_model_card(card)
        except RegatlasError as exc:
            assert exc.problems and exc.problems[0].file == str(card)
        else:
            assert all(f.fact in {"model.open_source_licence", "system.generated_content"} for f in fragment.facts)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    component=st.dictionaries(
        st.sampled_from(["type", "name", "licenses", "modelCard", "tags", "bom-ref"]),
        st.recursive(
            _SCALARS,
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(
                    st.sampled_from(["license", "id", "expression", "modelParameters", "task", "name"]),
                    inner,
                    max_size=3,
                )
            ),
            max_leaves=8,
        ),
        max_size=6,
    )
)
def test_any_bom_component_gives_a_fragment_or_a_located_error(tmp_path, component):
    bom = tmp_path / "bom.json"
    bom.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [component]}))
    try:
        read_cyclonedx(bom)
    except RegatlasError as exc:
        assert exc.problems and exc.problems[0].file in (str(bom), None)
