"""Durability: `regatlas serve` killed with SIGKILL under a write load loses no acknowledged write, and its audit
chain verifies after the restart (both databases; one worker process, and two, every process killed at once)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from serve_fixtures import Server

pytest_plugins = ("serve_fixtures",)
WRITERS = 4


def _crash(server: Server) -> None:
    """SIGKILL the service and every process it started (its workers) at once, as a power cut would."""
    pid = server.process.pid
    workers = [int(each) for each in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for each in [pid, *workers]:
        os.kill(each, signal.SIGKILL)
    server.process.wait()


@pytest.mark.parametrize("workers", [1, 2], ids=["1-worker", "2-workers"])
def test_sigkill_under_load_loses_no_acknowledged_write(
    db_url: str, tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGATLAS_WORKERS", str(workers))
    server = Server(db_url, tmp_path)
    acknowledged: list[int] = []
    stop = threading.Event()

    def write() -> None:
        with httpx.Client(headers=server.headers(), timeout=30) as client:
            n = 0
            while not stop.is_set():
                try:
                    done = client.post(server.url + "/v1/systems", json={"name": f"s{n}", "owner": "o"})
                except httpx.TransportError:
                    return  # the server is gone: this write was never acknowledged
                if done.status_code == 201:
                    acknowledged.append(done.json()["id"])
                n += 1

    writers = [threading.Thread(target=write) for _ in range(WRITERS)]
    for writer in writers:
        writer.start()
    while len(acknowledged) < 40:  # well into the load
        time.sleep(0.05)
        assert server.process.poll() is None, server.log.read_text()
    _crash(server)
    stop.set()
    for writer in writers:
        writer.join()
    restarted = Server(db_url, tmp_path, admin=server.admin)
    try:
        listed = httpx.get(restarted.url + "/v1/systems", params={"limit": 500}, headers=restarted.headers()).json()
        present = {s["id"] for s in listed["items"]}
        assert listed["total"] <= 500
        assert set(acknowledged) <= present, f"lost: {sorted(set(acknowledged) - present)}"
    finally:
        restarted.stop()
    command = [sys.executable, "-m", "regatlas", "audit", "verify", "--db", db_url]
    verified = subprocess.run(command, capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"intact: {1 + listed['total']} entries" in verified.stdout  # the first token, one per system
