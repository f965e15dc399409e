"""`regatlas reassess` as a process, on SQLite and PostgreSQL: the transitions per system in words, JSON on
request, a second run that finds nothing to do, and errors with the CLI's exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from serve_fixtures import Api
from test_serve_followup import answered_system, example_answers

pytest_plugins = ("serve_fixtures",)


def reassess(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "regatlas", "reassess", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_reassess_prints_the_transitions_per_system(api: Api) -> None:
    system_id = answered_system(api, example_answers())
    url = api.database.url
    first = reassess("--db", url, "--as-of", "2026-11-30")
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[1] == f"system {system_id} (call-centre emotions): first: 0 transitions"
    then = reassess("--db", url, "--as-of", "2026-12-02")
    assert then.returncode == 0, then.stderr
    lines = then.stdout.splitlines()
    assert lines[0].startswith("re-assessed 1 of 1 systems as of 2026-12-02")
    assert lines[1].startswith(f"system {system_id} (call-centre emotions): date: ")
    assert "  since 2 Dec 2026: EU AI Act Art. 5(1)(ba/bb) (prohibition, provider) may now apply" in "\n".join(lines)
    again = reassess("--db", url, "--as-of", "2026-12-02", "--format", "json")
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert (summary["checked"], summary["reassessed"], summary["transitions"]) == (1, 0, 0)
    listed = api.client.get(f"/v1/systems/{system_id}/transitions", headers=api.headers()).json()
    assert listed["total"] == int(lines[0].rsplit(": ", 1)[1].split()[0]) > 0


def test_reassess_errors_name_the_option(tmp_path: Path) -> None:
    missing = reassess("--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert missing.returncode == 2 and "--db" in missing.stderr and "Traceback" not in missing.stderr
    assert not (tmp_path / "none.db").exists()
    bad_date = reassess("--db", f"sqlite:///{tmp_path / 'none.db'}", "--as-of", "2026-02-30")
    assert bad_date.returncode == 2 and "--as-of" in bad_date.stderr
    bad_format = reassess("--db", f"sqlite:///{tmp_path / 'none.db'}", "--format", "markdown")
    assert bad_format.returncode == 2 and "--format" in bad_format.stderr
