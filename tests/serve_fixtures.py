"""Fixtures for tests/test_serve_*.py: real databases (a SQLite file; PostgreSQL when a server can be reached)
and the real app, in process (TestClient) or as a `regatlas serve` process.

PostgreSQL: REGATLAS_TEST_PG_URL names a server and a role that may create databases; without it, as root on a
machine with the postgresql package, the fixture starts the installed cluster (`pg_ctlcluster`, as .ci/run does)
and makes a role for the tests through `su postgres -c psql`. Each test gets a database of its own, dropped after.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from regatlas.serve.app import create_app, first_admin_token
from regatlas.serve.db import Database

PG_ROLE, PG_PASSWORD = "regatlas_test", "regatlas_test"
_pg_reason: list[str] = []  # why PostgreSQL is unavailable, once found out


def _pg_admin_url() -> str | None:
    """A URL of a role that may create databases, or None (the reason in _pg_reason)."""
    if url := os.environ.get("REGATLAS_TEST_PG_URL"):
        return url
    if _pg_reason:
        return None
    if shutil.which("pg_lsclusters") is None or os.geteuid() != 0:
        _pg_reason.append("no PostgreSQL: set REGATLAS_TEST_PG_URL, or run as root where postgresql is installed")
        return None
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.split("\n")
    port = None
    for line in filter(None, clusters):
        version, name, port, *_ = line.split()
        subprocess.run(["pg_ctlcluster", version, name, "start"], capture_output=True)  # running already: fine
        break
    sql = (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PG_ROLE}') THEN "
        f"CREATE ROLE {PG_ROLE} LOGIN CREATEDB; END IF; END $$;\n"
        f"ALTER ROLE {PG_ROLE} PASSWORD '{PG_PASSWORD}';\n"
    )
    for _attempt in range(3):  # parallel test workers may race to create the role: the loser tries again
        done = subprocess.run(
            ["su", "postgres", "-c", "psql -q -v ON_ERROR_STOP=1"], input=sql, capture_output=True, text=True
        )
        if done.returncode == 0:
            break
        time.sleep(1)
    if port is None or done.returncode != 0:
        _pg_reason.append(f"PostgreSQL did not start or refused the test role: {done.stderr.strip()[:200]}")
        return None
    return f"postgresql://{PG_ROLE}:{PG_PASSWORD}@127.0.0.1:{port}/postgres"


@contextlib.contextmanager
def pg_database() -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database, dropped afterwards; skips when no server is reachable."""
    import psycopg

    admin = _pg_admin_url()
    if admin is None:
        pytest.skip(_pg_reason[0] if _pg_reason else "no PostgreSQL")
    name = f"regatlas_test_{uuid.uuid4().hex[:12]}"
    plain = admin.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    try:
        yield re.sub(r"/[^/]*$", f"/{name}", plain)
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test on both databases: a SQLite file always, PostgreSQL when a server can be reached."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'regatlas.db'}"
    else:
        with pg_database() as url:
            yield url


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    db = Database(db_url)
    db.migrate()
    yield db
    db.dispose()


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example_answers(example: str, leave_open: tuple[str, ...] = ()) -> dict[str, Any]:
    """A bundled example profile as the service's answers (fact id -> value), some facts left unanswered."""
    data = yaml.safe_load((EXAMPLES / example).read_text())
    answers = {
        f"{group}.{name}": value.isoformat() if isinstance(value, dt.date) else value
        for group, facts in data.items()
        if isinstance(facts, dict)
        for name, value in facts.items()
    }
    return {fact: value for fact, value in answers.items() if fact not in leave_open}


def cookie(token: str) -> dict[str, str]:
    """The browser pages' session cookie as a header (httpx keeps a Secure cookie from http://testserver)."""
    from regatlas.serve.auth import SESSION_COOKIE

    return {"Cookie": f"{SESSION_COOKIE}={token}"}


def sqlite_server(folder: Path) -> Iterator[Server]:
    """`regatlas serve` as a process on a SQLite file in the folder, stopped after (for module-scoped fixtures)."""
    running = Server(f"sqlite:///{folder / 'regatlas.db'}", folder)
    yield running
    running.stop()


class Api:
    """The app in process with an admin token, and helpers to get tokens of other roles."""

    def __init__(self, database: Database):
        self.database = database
        self.admin = first_admin_token(database)
        self.client = TestClient(create_app(database))

    def headers(self, token: str | None = None, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.admin}", **extra}

    def token(self, role: str) -> str:
        response = self.client.post("/v1/tokens", json={"role": role, "name": role}, headers=self.headers())
        assert response.status_code == 201, response.text
        return response.json()["token"]

    def create_system(self, **fields: object) -> httpx.Response:
        body = {"name": "TalentSift", "owner": "hr", **fields}
        response = self.client.post("/v1/systems", json=body, headers=self.headers())
        assert response.status_code == 201, response.text
        return response


@pytest.fixture
def api(database: Database) -> Iterator[Api]:
    app_api = Api(database)
    with app_api.client:
        # The service's first look at the law (serve/scheduler.py) runs as it starts; tests that count
        # statuses, transitions or audit entries begin after it.
        assert app_api.client.app.state.follower.looked.wait(120), "the first re-assessment did not finish"
        yield app_api


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`regatlas serve` as a process: its URL and the admin token it printed on first start (or was given)."""

    def __init__(self, db_url: str, cwd: Path, admin: str | None = None):
        self.db_url, self.cwd = db_url, cwd
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = cwd / "serve.log"
        command = [sys.executable, "-m", "regatlas", "serve", "--db", db_url, "--port", str(self.port)]
        self.process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=self.log.open("a"), text=True)
        self.output: list[str] = []
        if admin is None:
            first = self.process.stdout.readline() if self.process.stdout else ""
            match = re.search(r"(rga_\S+)", first)
            assert match, f"no admin token printed: {first!r}; log: {self.log.read_text()}"
            admin = match.group(1)
        self.admin = admin
        # Keep reading standard output (the access log), so a full pipe never blocks the server.
        threading.Thread(target=self._drain, daemon=True).start()
        self._wait_ready()

    def _drain(self) -> None:
        for line in self.process.stdout or ():
            self.output.append(line)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"regatlas serve exited: {self.log.read_text()}"
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(self.url + "/ready", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise AssertionError(f"regatlas serve not ready: {self.log.read_text()}")

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin}", **extra}

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush; what the database acknowledged must survive."""
        self.process.kill()
        self.process.wait()


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[Server]:
    running = Server(db_url, tmp_path)
    yield running
    running.stop()
