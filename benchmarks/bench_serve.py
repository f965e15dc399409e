"""Throughput and latency of `POST /v1/assess` through a real `regatlas serve`.

Usage:  .venv/bin/python benchmarks/bench_serve.py [PROFILE] [--workers 2] [--clients 16] [--seconds 20]
                                                   [--as-of DATE] [--load auto|wrk|python] [--rate R]

Starts `regatlas serve --workers N` on a fresh SQLite file in a temporary folder, checks one answer, warms it,
then keeps CLIENTS keep-alive connections posting the profile for SECONDS. Reports assessments per second,
p50/p90/p99 latency, failures, the server's CPU time per assessment (all its processes, from /proc: steadier than
the wall clock on a shared machine), the machine and the load generator.

The load generator is wrk (Debian: `apt-get install wrk`) when it is installed: written in C, it leaves the cores
to the server. Without it, an asyncio client on raw sockets in this process (`--load python`), which takes a
noticeable share of a small machine's CPU itself. Both run on the same machine as the server, so the figures are
what one box doing both does. Timings are reported, never asserted.

Each client sends its next request when the last one is answered (closed loop): the server runs flat out, and
the latency is the queue of CLIENTS requests in front of the cores. `--rate R` asks instead for R requests per
second in all (open loop, the python client): the latency of a service carrying that load, each request timed
from when it was due.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
WRK_SCRIPT = """wrk.method = "POST"
local file = io.open("{body}", "rb")
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
"""
UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0}


@dataclass
class Run:
    generator: str
    requests: int
    failures: int
    seconds: float
    p50: float
    p90: float
    p99: float


@dataclass
class Service:
    process: subprocess.Popen
    url: str
    token: str
    log: Path


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(folder: Path, workers: int) -> Service:
    port, log = _port(), folder / "serve.log"
    database = f"sqlite:///{folder / 'bench.db'}"
    command = [sys.executable, "-m", "regatlas", "serve", "--db", database, "--port", str(port)]
    command += ["--workers", str(workers)]
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=log.open("w"), text=True)
    token = re.search(r"(rga_\S+)", process.stdout.readline() if process.stdout else "")
    if token is None:
        sys.exit(f"regatlas serve printed no admin token; its log:\n{log.read_text()}")
    threading.Thread(target=lambda: [None for _ in process.stdout or ()], daemon=True).start()  # drain stdout
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(url + "/ready", timeout=2).status_code == 200:
                return Service(process, url, token.group(1), log)
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    sys.exit(f"regatlas serve did not become ready; its log:\n{log.read_text()}")


def _server_cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of the server and its worker processes (Linux /proc), or None elsewhere."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if not children.exists():
        return None
    total = 0
    for each in [pid, *map(int, children.read_text().split())]:
        fields = Path(f"/proc/{each}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def _check(service: Service, body: bytes) -> None:
    """One request first: the benchmark measures real assessments, not refusals."""
    headers = {"Authorization": f"Bearer {service.token}", "Content-Type": "application/json"}
    answer = httpx.post(service.url + "/v1/assess", content=body, headers=headers, timeout=60)
    if answer.status_code != 200 or answer.json().get("format") != "regatlas.assessment/1":
        sys.exit(f"POST /v1/assess answered {answer.status_code}: {answer.text[:500]}")


def _seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def _wrk(service: Service, body_file: Path, clients: int, seconds: float) -> Run:
    script = body_file.with_suffix(".lua")
    script.write_text(WRK_SCRIPT.format(body=body_file, token=service.token))
    threads = str(min(clients, 2))  # the load generator's threads: it must not take the server's cores
    command = ["wrk", "-t", threads, "-c", str(clients), "-d", f"{seconds:g}s", "--latency", "-s", str(script)]
    output = subprocess.run([*command, service.url + "/v1/assess"], capture_output=True, text=True).stdout
    quantiles = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s)", output)
    if done is None or len(quantiles) < 3:
        sys.exit(f"could not read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failures = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, errors.groups())) if errors else 0)
    elapsed = _seconds(done.group(2) + done.group(3))
    p50, p90, p99 = (_seconds(quantiles[q]) for q in ("50", "90", "99"))
    version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[:2]
    return Run(" ".join(version), int(done.group(1)), failures, elapsed, p50, p90, p99)


class _Connection(asyncio.BufferedProtocol):
    """One keep-alive connection that reads each response into one reused buffer: no copies, no parsing beyond
    the status line and Content-Length, so the client leaves the CPU to the server."""

    def __init__(self) -> None:
        self.buffer = bytearray(1 << 22)
        self.filled, self.end = 0, 0
        self.answer: asyncio.Future[bool] | None = None

    def get_buffer(self, sizehint: int) -> memoryview:
        if self.filled == len(self.buffer):
            self.buffer.extend(bytes(len(self.buffer)))
        return memoryview(self.buffer)[self.filled :]

    def buffer_updated(self, nbytes: int) -> None:
        self.filled += nbytes
        if not self.end:
            head = self.buffer.find(b"\r\n\r\n", 0, self.filled)
            if head < 0:
                return
            length = re.search(rb"(?i)content-length:\s*(\d+)", self.buffer[:head])
            self.end = head + 4 + int(length.group(1))  # type: ignore[union-attr]
        if self.filled >= self.end and self.answer is not None:
            self.answer.set_result(self.buffer.startswith(b"HTTP/1.1 200"))
            self.filled, self.end = 0, 0

    def connection_lost(self, exc: Exception | None) -> None:
        if self.answer is not None and not self.answer.done():
            self.answer.set_exception(exc or ConnectionError("the server closed the connection"))


async def _client(
    host: str, port: int, request: bytes, until: float, pace: tuple[float, float] | None, latencies: list[float]
) -> int:
    """One connection posting until `until`; its failures. Closed loop (the next request when the last is
    answered), or with `pace` (first, interval) open loop: request k is due at first + k * interval and its
    latency counts from then, so a server that falls behind is charged for the wait too."""
    loop = asyncio.get_running_loop()
    transport, connection = await loop.create_connection(_Connection, host, port)
    failures, sent = 0, 0
    try:
        while time.perf_counter() < until:
            start = time.perf_counter()
            if pace is not None:
                start = pace[0] + sent * pace[1]
                await asyncio.sleep(max(0.0, start - time.perf_counter()))
            connection.answer = loop.create_future()
            transport.write(request)
            failures += not await connection.answer
            latencies.append(time.perf_counter() - start)
            sent += 1
    finally:
        transport.close()
    return failures


def _python(service: Service, body: bytes, clients: int, seconds: float, rate: float | None = None) -> Run:
    host, port = service.url.removeprefix("http://").split(":")
    request = (
        f"POST /v1/assess HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {service.token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    latencies: list[float] = []

    async def load() -> tuple[float, int]:
        started = time.perf_counter()
        until, interval = started + seconds, clients / rate if rate else 0.0
        paces = [(started + i * interval / clients, interval) if rate else None for i in range(clients)]
        failures = await asyncio.gather(*(_client(host, int(port), request, until, pace, latencies) for pace in paces))
        return time.perf_counter() - started, sum(failures)

    cpu = time.process_time()
    elapsed, failures = asyncio.run(load())
    cpu = (time.process_time() - cpu) / max(1, len(latencies)) * 1000
    cuts = statistics.quantiles(latencies, n=100)
    generator = f"python asyncio client ({cpu:.2f} ms of CPU per request)"
    generator += f", open loop at {rate:g} requests/s" if rate else ""
    return Run(generator, len(latencies), failures, elapsed, cuts[49], cuts[89], cuts[98])


def _log_lines(service: Service) -> list[str]:
    return service.log.read_text().splitlines()


def _per_worker(lines: list[str]) -> list[int]:
    """How many assessments each worker answered, from the access log's pid (largest first). The kernel hands a
    new connection to whichever worker accepts first, so keep-alive clients that connect at once can all land on
    one worker."""
    answered: Counter[int] = Counter()
    for line in lines:
        entry = json.loads(line)
        if entry.get("path") == "/v1/assess":
            answered[entry["pid"]] += 1
    return sorted(answered.values(), reverse=True)


def _machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text() if cpuinfo.exists() else "", re.MULTILINE)
    model = names[0] if names else platform.processor() or platform.machine()
    return f"{model}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", nargs="?", default=str(ROOT / "examples" / "cv-screening.yaml"))
    parser.add_argument("--workers", type=int, default=2, help="server processes (regatlas serve --workers)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent keep-alive connections")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--as-of", default="2026-12-01")
    parser.add_argument("--load", choices=("auto", "wrk", "python"), default="auto", help="the load generator")
    parser.add_argument(
        "--rate", type=float, help="open loop: this many requests per second in all, spread over the clients (python)"
    )
    args = parser.parse_args()
    use_wrk = args.rate is None and (args.load == "wrk" or (args.load == "auto" and shutil.which("wrk") is not None))
    if args.rate is not None and args.load == "wrk":
        sys.exit("--rate needs --load python (Debian's wrk has no fixed rate)")
    if use_wrk and shutil.which("wrk") is None:
        sys.exit("--load wrk: wrk is not installed (Debian: apt-get install wrk)")
    profile = json.loads(json.dumps(yaml.safe_load(Path(args.profile).read_text()), default=str))
    body = json.dumps({"profile": profile, "as_of": args.as_of}).encode()
    with tempfile.TemporaryDirectory() as folder:
        body_file = Path(folder) / "body.json"
        body_file.write_bytes(body)
        service = _start(Path(folder), args.workers)
        try:
            _check(service, body)
            payload = body_file if use_wrk else body
            measure = _wrk if use_wrk else functools.partial(_python, rate=args.rate)
            measure(service, payload, args.clients, 3)  # warm every worker's caches
            cpu_before, logged = _server_cpu_seconds(service.process.pid), _log_lines(service)
            run = measure(service, payload, args.clients, args.seconds)
            cpu_after = _server_cpu_seconds(service.process.pid)
        finally:
            service.process.terminate()
            service.process.wait(timeout=30)
        shares = _per_worker(_log_lines(service)[len(logged) :])
    print(f"machine: {_machine()}")
    print(f"server: regatlas serve --workers {args.workers} (SQLite); load: {run.generator}")
    print(f"profile: {Path(args.profile).name}, as of {args.as_of}; {args.clients} clients for {run.seconds:.1f} s")
    print(f"assessments: {run.requests} ({run.failures} failed), {run.requests / run.seconds:.0f} per second")
    print(f"latency: p50 {run.p50 * 1000:.1f} ms, p90 {run.p90 * 1000:.1f} ms, p99 {run.p99 * 1000:.1f} ms")
    if cpu_before is not None and cpu_after is not None and run.requests:
        print(f"server CPU: {(cpu_after - cpu_before) / run.requests * 1000:.2f} ms per assessment")
    print(f"requests answered per worker process: {', '.join(map(str, shares))}")


if __name__ == "__main__":
    main()
