"""`regatlas serve --workers N`: the app each worker makes from the environment, a revocation every worker sees at
once, workers that do not outlive their supervisor, and the compact JSON of POST /v1/assess."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient
from serve_fixtures import Server

from regatlas.engine.assess import assess
from regatlas.facts.profile import profile_from_data
from regatlas.report.json_report import assessment_json, compact_json
from regatlas.rules.loader import load_pack
from regatlas.serve import asgi
from regatlas.serve.app import first_admin_token
from regatlas.serve.db import Database

pytest_plugins = ("serve_fixtures",)
ROOT = Path(__file__).resolve().parents[1]


def log(server: Server) -> list[dict]:
    return [json.loads(line) for line in server.log.read_text().splitlines()]


def workers_of(server: Server) -> set[int]:
    """The workers that have started, by the pid of their log lines (the supervisor also starts a resource tracker)."""
    return {entry["pid"] for entry in log(server) if entry.get("message") == "Application startup complete."}


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing


@pytest.fixture
def two_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("REGATLAS_WORKERS", "2")  # the variable, as a deployment would set it
    server = Server(f"sqlite:///{tmp_path / 'w.db'}", tmp_path)
    deadline = time.monotonic() + 60
    while len(workers_of(server)) < 2 and time.monotonic() < deadline:  # ready: one worker is; wait for both
        time.sleep(0.1)
    yield server
    server.stop()


def _pids_answering(server: Server, token: str, status: int, rounds: int = 200) -> set[int]:
    """The worker processes that answered `token` (each on a fresh connection, so the kernel spreads them), until
    both workers have; every answer must have `status`."""
    seen: set[int] = set()
    path = "/v1/systems"
    for _ in range(rounds):
        with httpx.Client() as client:  # a new connection each time
            answered = client.get(server.url + path, headers={"Authorization": f"Bearer {token}"})
        assert answered.status_code == status, answered.text
        seen = {entry["pid"] for entry in log(server) if (entry.get("status"), entry.get("path")) == (status, path)}
        if len(seen) == 2:
            break
    return seen


def test_a_revoked_token_is_refused_by_every_worker_at_once(two_workers: Server) -> None:
    server = two_workers
    issued = httpx.post(server.url + "/v1/tokens", json={"role": "viewer", "name": "v"}, headers=server.headers())
    viewer, token_id = issued.json()["token"], issued.json()["id"]
    workers = workers_of(server)
    assert len(workers) == 2
    assert _pids_answering(server, viewer, 200) == workers  # both workers accept it (each read it itself)
    revoked = httpx.delete(f"{server.url}/v1/tokens/{token_id}", headers=server.headers())
    assert revoked.status_code in (200, 204)
    assert _pids_answering(server, viewer, 401) == workers  # and from the next request on, both refuse it


def test_workers_stop_when_their_supervisor_is_killed(two_workers: Server) -> None:
    server = two_workers
    workers = workers_of(server)
    assert len(workers) == 2
    server.kill()  # SIGKILL: the supervisor cannot stop its workers itself
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers), "a worker outlived its supervisor"
    with pytest.raises(httpx.TransportError):  # nobody holds the port any more
        httpx.get(server.url + "/health", timeout=2)


def test_workers_assess_in_parallel_and_answer_as_one_process(two_workers: Server) -> None:
    """16 clients through 2 workers: every answer is the same assessment (the decision id is the input's)."""
    profile = json.loads(json.dumps(yaml.safe_load((ROOT / "examples" / "cv-screening.yaml").read_text()), default=str))
    body = {"profile": profile, "as_of": "2026-12-01"}
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def post() -> None:
        with httpx.Client(headers=two_workers.headers(), timeout=60) as client:
            for _ in range(4):
                done = client.post(two_workers.url + "/v1/assess", json=body)
                with lock:
                    answers.append((done.status_code, done.json()["decision_id"]))

    threads = [threading.Thread(target=post) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 64 and {status for status, _ in answers} == {200}
    assert len({decision for _, decision in answers}) == 1


@pytest.fixture
def restore_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_the_app_factory_reads_the_environment_and_settles_the_heap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_gc: None
) -> None:
    url = f"sqlite:///{tmp_path / 'f.db'}"
    database = Database(url)
    database.migrate()
    admin = first_admin_token(database)
    database.dispose()
    monkeypatch.setenv(asgi.DB_ENV, url)
    monkeypatch.setenv(asgi.PACK_ENV, str(ROOT / "packs"))
    monkeypatch.delenv(asgi.SUPERVISOR_ENV, raising=False)
    app = asgi.app_from_environment()
    assert app.state.service.pack_dir == ROOT / "packs"
    assert app.state.service._pack is not None  # loaded before the first request
    assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] == asgi.GC_YOUNG_THRESHOLD
    with TestClient(app) as client:
        listed = client.get("/v1/systems", headers={"Authorization": f"Bearer {admin}"})
    assert listed.status_code == 200 and listed.json()["total"] == 0  # the database the environment named


def test_a_worker_whose_supervisor_is_already_gone_stops() -> None:
    """The race where the supervisor dies before the worker asks Linux to tell it: the worker stops itself."""
    code = "from regatlas.serve import asgi; asgi._die_with_supervisor(); import time; time.sleep(30)"
    environment = {**os.environ, asgi.SUPERVISOR_ENV: "1"}  # pid 1 is not this worker's parent: it has died
    done = subprocess.run([sys.executable, "-c", code], env=environment, timeout=60)
    assert done.returncode == -signal.SIGTERM


def _assessment(profile: dict, trace: bool = False) -> dict:
    pack = load_pack(None, cache=True)
    facts = profile_from_data(profile, pack.vocabulary, "profile")
    return assessment_json(assess(pack, facts, dt.date(2026, 12, 1)), trace)


@pytest.mark.parametrize("example", sorted(path.name for path in (ROOT / "examples").glob("*.yaml")))
def test_compact_json_is_the_standard_modules_json(example: str) -> None:
    data = yaml.safe_load((ROOT / "examples" / example).read_text())
    result = _assessment(json.loads(json.dumps(data, default=str)), trace=True)
    assert compact_json(result) == json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode()


def test_compact_json_writes_what_orjson_refuses_and_the_same_numbers() -> None:
    huge = {"count": 2**70, "name": "Zürich"}  # beyond 64 bits: the standard module's path
    assert compact_json(huge) == json.dumps(huge, ensure_ascii=False, separators=(",", ":")).encode()
    result = _assessment({"territory": {"used_in": ["DE"]}, "operator": {"annual_turnover_eur": 10**30}})
    assert json.loads(compact_json(result)) == result  # 1e30 spelt without '+', the same number


def test_a_pack_that_cannot_load_stops_serve_before_any_worker(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "regatlas", "serve", "--db", f"sqlite:///{tmp_path / 'p.db'}"]
    done = subprocess.run(
        [*command, "--workers", "2", "--pack", str(tmp_path / "missing")], capture_output=True, text=True
    )
    assert done.returncode == 2 and "rule pack folder not found" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "p.db").exists()  # stopped before the database was touched
