"""The command line end to end: outputs and exit codes (0 ok, 2 bad input, 3 prohibited)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import EXAMPLES


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "regatlas", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture()
def profile(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: mini\nsystem: {is_ai_system: true}\nterritory: {placed_on_eu_market: true}\n")
    return path


def test_assess_json_is_stable_and_reproducible(profile):
    first = run("assess", str(profile), "--as-of", "2026-11-28", "--format", "json")
    second = run("assess", str(profile), "--as-of", "2026-11-28", "--format", "json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["format"] == "regatlas.assessment/1"
    assert data["as_of"] == "2026-11-28"
    assert data["profile"]["facts"] == {"system.is_ai_system": True, "territory.placed_on_eu_market": True}
    assert data["decision_id"] == json.loads(second.stdout)["decision_id"]
    scope = next(f for f in data["findings"] if f["id"] == "eu_ai_act:in_scope")
    assert scope["outcome"] == "unknown"
    assert "system.exclusively_military_defence_security" in scope["missing_facts"]


def test_assess_text_and_markdown(profile):
    text = run("assess", str(profile), "--as-of", "2026-11-28")
    assert text.returncode == 0 and "EU AI Act" in text.stdout and "Open questions" in text.stdout
    md = run("assess", str(profile), "--as-of", "2026-11-28", "--format", "markdown")
    assert md.stdout.startswith("# regatlas assessment: mini") and "| provision |" in md.stdout


def test_bad_profile_exits_2_with_location(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("system:\n  is_ai_sytem: true\n")
    result = run("assess", str(path))
    assert result.returncode == 2
    assert "bad.yaml:2" in result.stderr and "did you mean 'system.is_ai_system'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("assess", "no-such-file.yaml"),
        ("assess", "PROFILE", "--as-of", "2026-02-30"),
        ("assess", "PROFILE", "--instrument", "eu_ai_ac"),
        ("explain", "PROFILE", "no_such_rule"),
        ("assess", "PROFILE", "--pack", "/nonexistent"),
    ],
)
def test_user_mistakes_exit_2_without_traceback(profile, args):
    result = run(*[str(profile) if a == "PROFILE" else a for a in args])
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr and "error" in result.stderr.lower()


def test_explain_shows_trace_and_questions(profile):
    result = run("explain", str(profile), "eu_ai_act:in_scope", "--as-of", "2026-11-28")
    assert result.returncode == 0
    assert "ai_system && territorial_scope" in result.stdout
    assert "facts that would settle it" in result.stdout


def test_schema_is_json():
    data = json.loads(run("schema").stdout)
    assert data["properties"]["system"]["properties"]["is_ai_system"]


def test_validate_pack_runs_rule_cases():
    result = run("validate", str(EXAMPLES.parent / "packs"))
    assert result.returncode == 0, result.stderr
    assert "rule test cases pass" in result.stdout


def test_rules_list_and_show():
    listing = run("rules", "list")
    assert listing.returncode == 0 and "in_scope" in listing.stdout
    shown = run("rules", "show", "eu_ai_act:in_scope")
    assert (
        shown.returncode == 0 and "Art. 2(1)" in shown.stdout and "when: ai_system && territorial_scope" in shown.stdout
    )


def test_pack_cache_gives_the_same_pack(tmp_path, monkeypatch):
    from regatlas.rules.loader import load_pack

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fresh = load_pack(cache=True)
    cached = load_pack(cache=True)
    assert list(tmp_path.glob("regatlas/pack-*.pickle"))
    assert cached.revision == fresh.revision
    assert {r.key for r in cached.all_rules()} == {r.key for r in fresh.all_rules()}


def test_corrupt_cache_is_rebuilt(tmp_path, monkeypatch):
    from regatlas.rules.loader import load_pack

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_pack(cache=True)
    for path in tmp_path.glob("regatlas/pack-*.pickle"):
        path.write_bytes(b"not a pickle")
    assert load_pack(cache=True).all_rules()
