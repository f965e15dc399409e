"""Start-up and batches: what a warm command imports, the pack cache's key and pruning, and `assess` over
many profiles (several files, JSON lines) streaming one result per line. Timings are measured in
benchmarks/bench_startup.py, never asserted here; what is asserted is what decides them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import EXAMPLES

from regatlas.rules import cache as pack_cache
from regatlas.rules.loader import default_pack_root, load_pack


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "regatlas", *args], capture_output=True, text=True, timeout=300, env=env
    )


def _json_line(name: str) -> str:
    return json.dumps(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text()), default=str)


def test_a_warm_assess_imports_neither_pydantic_nor_rich(tmp_path):
    """The cached pack holds no pydantic objects, the pack builder is not imported on a cache hit, and JSON
    output needs no rich: each of these was a tenth of a second or more of every run."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    _cli("version", env=env)  # fills the cache
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['regatlas', 'assess', {str(EXAMPLES / 'cv-screening.yaml')!r}, '-f', 'json']\n"
        "try:\n    runpy.run_module('regatlas', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'rich', 'polars', 'pycountry'})\n"
        "print('LOADED', loaded, 'BUILD', 'regatlas.rules.build' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300)
    assert json.loads(done.stdout)["format"] == "regatlas.assessment/1"
    assert "LOADED [] BUILD False" in done.stderr, done.stderr


def test_the_cache_is_used_and_keeps_only_the_most_recent_files(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "regatlas"
    folder.mkdir()
    for i in range(pack_cache.MAX_FILES + 3):  # stale packs of other revisions, oldest first
        stale = folder / f"pack-old{i:02d}-x.pickle"
        stale.write_bytes(b"not a pickle")
        os.utime(stale, (1_000_000 + i, 1_000_000 + i))
    first = load_pack(cache=True)
    files = sorted(folder.glob("pack-*.pickle"))
    assert len(files) == pack_cache.MAX_FILES
    assert not (folder / "pack-old00-x.pickle").exists()  # the least recently used went first
    assert any(first.revision in f.name for f in files)
    again = load_pack(cache=True)
    assert again.revision == first.revision and again is not first


def test_a_corrupt_cache_file_is_rebuilt_not_trusted(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    root = default_pack_root().resolve()
    path = pack_cache.cache_path(pack_cache.revision(pack_cache.pack_files(root), root))
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x80\x05garbage")
    assert load_pack(cache=True).instruments  # rebuilt from the files
    assert pack_cache.read(path) is not None  # and the bad file replaced by a good one


def test_the_cache_key_covers_the_iso_data_version(monkeypatch):
    import pycountry  # noqa: F401 (the test needs it installed: the registry is built from it)

    assert pack_cache._data_versions().startswith("pycountry-2")  # e.g. pycountry-24.6.1.dist-info
    before = pack_cache._code_fingerprint()
    monkeypatch.setattr(pack_cache, "_data_versions", lambda: "pycountry-99.0.dist-info")
    assert pack_cache._code_fingerprint() != before


def test_assess_streams_one_json_result_per_line_for_several_files():
    done = _cli("assess", str(EXAMPLES / "cv-screening.yaml"), str(EXAMPLES / "credit-scoring.yaml"), "-f", "json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [json.loads(line)["profile"]["name"] for line in lines] == [
        yaml.safe_load((EXAMPLES / f"{n}.yaml").read_text())["name"] for n in ("cv-screening", "credit-scoring")
    ]


def test_a_json_lines_batch_reports_bad_lines_and_goes_on(tmp_path):
    batch = tmp_path / "systems.jsonl"
    rows = [
        _json_line("cv-screening"),
        '{"system": {"bogus_fact": true}}',
        "{not json",
        "",  # blank lines are skipped, not errors
        '{"system": {"is_ai_system": true}, "x": ' + "9" * 5000 + "}",
        _json_line("credit-scoring"),
    ]
    batch.write_text("\n".join(rows) + "\n")
    done = _cli("assess", str(batch), "-f", "json")
    assert done.returncode == 2
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["profile"]["source"] for r in results] == [f"{batch}:1", f"{batch}:6"]
    errors = done.stderr.replace("\n", " ")
    for line, words in ((2, "unknown fact"), (3, "malformed JSON"), (5, "more than 4,300 digits")):
        assert f"{batch}:{line}:" in errors and words in errors, errors
    assert "Traceback" not in done.stderr


def test_a_batch_fails_on_a_prohibited_system_only_when_asked(tmp_path):
    batch = tmp_path / "two.jsonl"
    batch.write_text(_json_line("cv-screening") + "\n" + _json_line("workplace-emotion-recognition") + "\n")
    assert _cli("assess", str(batch), "-f", "json").returncode == 0
    assert _cli("assess", str(batch), "-f", "json", "--fail-on-prohibited").returncode == 3


def test_several_profiles_as_text_print_each_assessment(tmp_path):
    done = _cli("assess", str(EXAMPLES / "cv-screening.yaml"), str(EXAMPLES / "credit-scoring.yaml"))
    assert done.returncode == 0
    assert done.stdout.count("regatlas assessment") == 2


def test_an_unreadable_batch_file_is_a_located_error(tmp_path):
    missing = tmp_path / "nope.jsonl"
    done = _cli("assess", str(missing), "-f", "json")
    assert done.returncode == 2 and str(Path(missing)) in done.stderr and "Traceback" not in done.stderr
