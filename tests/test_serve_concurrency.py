"""Concurrency through the real service (`regatlas serve` as a process) on both databases, with one worker
process and with two (--workers 2, each with its own connections): 8 writers updating one system with If-Match
lose no update, and 8 concurrent writers leave the audit chain whole."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serve_fixtures import Server

pytest_plugins = ("serve_fixtures",)
WRITERS = 8


@pytest.fixture(params=[1, 2], ids=["1-worker", "2-workers"])
def server(
    request: pytest.FixtureRequest, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Server]:
    monkeypatch.setenv("REGATLAS_WORKERS", str(request.param))
    running = Server(db_url, tmp_path)
    yield running
    running.stop()


def _run(workers: list[threading.Thread]) -> None:
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def test_eight_writers_with_if_match_lose_no_update(server: Server) -> None:
    for index in range(WRITERS):  # a system names models of the register
        model = httpx.post(server.url + "/v1/models", json={"name": f"model-{index}"}, headers=server.headers())
        assert model.status_code == 201, model.text
    created = httpx.post(server.url + "/v1/systems", json={"name": "shared", "owner": "hr"}, headers=server.headers())
    url = f"{server.url}/v1/systems/{created.json()['id']}"
    statuses: Counter[int] = Counter()
    lock, start = threading.Lock(), threading.Barrier(WRITERS)

    def add_model(index: int) -> None:
        """Read, add this writer's model, write with If-Match; on 412 read again and retry."""
        with httpx.Client(headers=server.headers(), timeout=60) as client:
            start.wait()
            while True:
                current = client.get(url)
                models = [*(model["name"] for model in current.json()["models"]), f"model-{index}"]
                done = client.patch(url, json={"models": models}, headers={"If-Match": current.headers["ETag"]})
                with lock:
                    statuses[done.status_code] += 1
                if done.status_code != 412:
                    return

    _run([threading.Thread(target=add_model, args=(i,)) for i in range(WRITERS)])
    final = httpx.get(url, headers=server.headers()).json()
    assert set(statuses) <= {200, 412} and statuses[200] == WRITERS, statuses
    names = sorted(model["name"] for model in final["models"])
    assert names == sorted(f"model-{i}" for i in range(WRITERS))  # every writer's update is there
    assert final["version"] == 1 + WRITERS
    verdict = httpx.get(server.url + "/v1/audit/verify", headers=server.headers()).json()
    assert verdict["ok"] and verdict["entries"] == 2 + 2 * WRITERS  # first token, models, create, updates


def test_eight_concurrent_writers_leave_the_audit_chain_whole(server: Server) -> None:
    each, failures = 6, []
    start = threading.Barrier(WRITERS)

    def create_systems(index: int) -> None:
        with httpx.Client(headers=server.headers(), timeout=60) as client:
            start.wait()
            for n in range(each):
                done = client.post(server.url + "/v1/systems", json={"name": f"{index}-{n}", "owner": "o"})
                if done.status_code != 201:
                    failures.append(done.text)

    _run([threading.Thread(target=create_systems, args=(i,)) for i in range(WRITERS)])
    assert failures == []
    verdict = httpx.get(server.url + "/v1/audit/verify", headers=server.headers()).json()
    assert verdict == {"ok": True, "entries": 1 + WRITERS * each, "broken_seq": None, "reason": ""}
