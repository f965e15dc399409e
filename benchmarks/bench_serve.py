"""Throughput and latency of `POST /v1/assess` through a real `regatlas serve` (uvicorn, one process).

Usage:  .venv/bin/python benchmarks/bench_serve.py [PROFILE] [--clients 16] [--seconds 20] [--as-of DATE]

Starts the service on a fresh SQLite file in a temporary folder, warms it (the first request loads the pack),
then runs CLIENTS threads, each with its own keep-alive connection, posting the profile for SECONDS. Reports
assessments per second, p50/p90/p99 latency, and the machine. The clients run on the same machine and take
CPU from the server: the figures are what one box doing both does. Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(folder: Path) -> tuple[subprocess.Popen, str, str]:
    port = _port()
    command = [sys.executable, "-m", "regatlas", "serve", "--db", f"sqlite:///{folder / 'b.db'}", "--port", str(port)]
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    token = re.search(r"(rga_\S+)", process.stdout.readline() if process.stdout else "")
    assert token, "no admin token printed"
    threading.Thread(target=lambda: [None for _ in process.stdout or ()], daemon=True).start()  # drain the log
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/ready", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    return process, url, token.group(1)


def _client(url: str, token: str, body: dict, until: float, latencies: list[float], failures: list[int]) -> None:
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        while time.perf_counter() < until:
            start = time.perf_counter()
            response = client.post(url + "/v1/assess", json=body)
            latencies.append(time.perf_counter() - start)
            if response.status_code != 200:
                failures.append(response.status_code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", nargs="?", default=str(ROOT / "examples" / "cv-screening.yaml"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--as-of", default="2026-12-01")
    args = parser.parse_args()
    profile = json.loads(json.dumps(yaml.safe_load(Path(args.profile).read_text()), default=str))
    body = {"profile": profile, "as_of": args.as_of}
    with tempfile.TemporaryDirectory() as folder:
        process, url, token = _start(Path(folder))
        try:
            warm: list[float] = []
            _client(url, token, body, time.perf_counter() + 2, warm, [])
            latencies: list[float] = []
            failures: list[int] = []
            until = time.perf_counter() + args.seconds
            workers = [
                threading.Thread(target=_client, args=(url, token, body, until, latencies, failures))
                for _ in range(args.clients)
            ]
            started = time.perf_counter()
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            elapsed = time.perf_counter() - started
        finally:
            process.terminate()
            process.wait(timeout=20)
    cuts = statistics.quantiles(latencies, n=100)
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"profile: {Path(args.profile).name}, as of {args.as_of}; {args.clients} clients for {elapsed:.1f} s")
    print(f"assessments: {len(latencies)} ({len(failures)} failed), {len(latencies) / elapsed:.0f} per second")
    print(f"latency: p50 {cuts[49] * 1000:.1f} ms, p90 {cuts[89] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
