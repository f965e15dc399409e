"""`regatlas db copy`: a SQLite inventory copied into PostgreSQL (and into another SQLite file) keeps every row
of every table with its id and a whole audit chain; the service then runs on the copy and its new ids do not
collide; a target that already holds rows, a source at an older schema or with a broken chain is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.config import Config
from serve_fixtures import Api, Server, pg_database
from sqlalchemy import func, select, text

from regatlas.serve import audit
from regatlas.serve.db import MIGRATIONS, Database
from regatlas.serve.models import Base

pytest_plugins = ("serve_fixtures",)
CV_SCREENING = {"system.is_ai_system": True, "territory.used_in": ["DE"], "operator.roles": ["deployer"]}


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command_line = [sys.executable, "-m", "regatlas", *args]
    return subprocess.run(command_line, capture_output=True, text=True, cwd=cwd, env=dict(os.environ))


def _url(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Api]:
    """A SQLite inventory with a bit of everything: records, systems linked to them, answers, an assessment,
    tokens issued and revoked, an archived system."""
    database = Database(f"sqlite:///{tmp_path / 'source.db'}")
    database.migrate()
    api = Api(database)
    with api.client:
        _fill(api)
        yield api
    database.dispose()


def _fill(api: Api) -> None:
    for kind, name in (("models", "embed-1"), ("models", "gpt-x"), ("vendors", "Acme AI")):
        assert api.client.post(f"/v1/{kind}", json={"name": name}, headers=api.headers()).status_code == 201
    first = api.create_system(name="chat", models=["gpt-x", "embed-1"], vendors=["Acme AI"], places=["DE"])
    api.create_system(name="search", models=["embed-1"])
    sid = first.json()["id"]
    body = {"answers": CV_SCREENING, "justification": "intake interview"}
    answered = api.client.post(
        f"/v1/systems/{sid}/answers", json=body, headers=api.headers(**{"If-Match": first.headers["ETag"]})
    )
    assert answered.status_code == 200
    stored = api.client.post(f"/v1/systems/{sid}/assessments", json={"as_of": "2026-12-01"}, headers=api.headers())
    assert stored.status_code == 201
    retired = api.create_system(name="retired")
    api.client.post(
        f"/v1/systems/{retired.json()['id']}/archive", headers=api.headers(**{"If-Match": retired.headers["ETag"]})
    )
    issued = api.client.post("/v1/tokens", json={"role": "viewer", "name": "gone"}, headers=api.headers()).json()
    api.client.delete(f"/v1/tokens/{issued['id']}", headers=api.headers())


def _rows(database: Database) -> dict[str, list[dict]]:
    """Every row of every declared table, in primary-key order."""
    with database.read() as session:
        return {
            table.name: [
                dict(row) for row in session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            ]
            for table in Base.metadata.sorted_tables
        }


def test_a_copy_keeps_every_row_and_the_service_runs_on_it(source: Api, db_url: str, tmp_path: Path) -> None:
    target = Database(db_url)
    try:
        done = _cli("db", "copy", "--from", _url(source.database), "--to", db_url, cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        rows = _rows(source.database)
        assert _rows(target) == rows  # every table, every column, every id
        printed = dict(line.split() for line in done.stdout.splitlines() if line.startswith("  "))
        assert printed == {name: str(len(table_rows)) for name, table_rows in rows.items()}  # counts per table
        entries = len(rows["audit_log"])
        assert f"audit log intact on the target: {entries} entries" in done.stdout
        assert rows["system_models"] and rows["answer_events"] and rows["assessments"]  # the copy was not trivial
        _serve_on_the_copy(db_url, tmp_path, source.admin, rows)
        verdict = audit.verify(target)
        assert verdict.ok and verdict.entries == entries + 2  # the new writes chain on to the copied log
    finally:
        target.dispose()


def _serve_on_the_copy(db_url: str, tmp_path: Path, admin: str, rows: dict[str, list[dict]]) -> None:
    """The copied tokens work, and new rows get ids past the copied ones (PostgreSQL's sequences were moved)."""
    server = Server(db_url, tmp_path, admin=admin)
    try:
        model = httpx.post(server.url + "/v1/models", json={"name": "new model"}, headers=server.headers())
        assert model.status_code == 201, model.text
        assert model.json()["id"] == max(r["id"] for r in rows["models"]) + 1
        system = httpx.post(
            server.url + "/v1/systems",
            json={"name": "new", "owner": "it", "models": ["new model", "embed-1"]},
            headers=server.headers(),
        )
        assert system.status_code == 201, system.text
        assert system.json()["id"] == max(r["id"] for r in rows["systems"]) + 1
        on_embed = httpx.get(server.url + "/v1/systems", params={"model": "embed-1"}, headers=server.headers())
        assert [s["name"] for s in on_embed.json()["items"]] == ["chat", "search", "new"]
    finally:
        server.stop()


def test_a_target_that_holds_rows_is_refused(source: Api, db_url: str, tmp_path: Path) -> None:
    target = Database(db_url)
    try:
        target.migrate()
        with target.write() as session:  # one audit entry is enough to make it somebody's database
            audit.append(session, "someone", "test", "t", {})
        before = _rows(target)
        done = _cli("db", "copy", "--from", _url(source.database), "--to", db_url, cwd=tmp_path)
        assert done.returncode == 2 and "--to" in done.stderr and "audit_log: 1" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        assert _rows(target) == before
    finally:
        target.dispose()


def _count(database: Database, table: str) -> int:
    with database.read() as session:
        return session.execute(select(func.count()).select_from(Base.metadata.tables[table])).scalar_one()


def test_a_source_with_a_broken_chain_is_not_copied(source: Api, tmp_path: Path) -> None:
    with source.database.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2"))
    target = Database(f"sqlite:///{tmp_path / 'target.db'}")
    done = _cli("db", "copy", "--from", _url(source.database), "--to", _url(target), cwd=tmp_path)
    assert done.returncode == 6 and "broken at entry 2" in done.stdout and "nothing was copied" in done.stdout
    assert _count(target, "systems") == 0 and _count(target, "audit_log") == 0
    target.dispose()


def test_a_source_at_an_older_schema_or_missing_is_refused(tmp_path: Path) -> None:
    old = Database(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with old.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    target = f"sqlite:///{tmp_path / 'target.db'}"
    done = _cli("db", "copy", "--from", _url(old), "--to", target, cwd=tmp_path)
    assert done.returncode == 2 and "--from" in done.stderr and "revision 0001" in done.stderr, done.stderr
    missing = _cli("db", "copy", "--from", f"sqlite:///{tmp_path / 'nothing.db'}", "--to", target, cwd=tmp_path)
    assert missing.returncode == 2 and "--from" in missing.stderr and "no database file" in missing.stderr
    bad = _cli("db", "copy", "--from", _url(old), "--to", "mysql://x/y", cwd=tmp_path)
    assert bad.returncode == 2 and "--to" in bad.stderr and "Traceback" not in bad.stderr
    old.dispose()


def test_a_postgresql_inventory_copies_back_into_sqlite(tmp_path: Path) -> None:
    """The way back (or to a file for an auditor): the copy is generic over both databases."""
    with pg_database() as url:
        database = Database(url)
        database.migrate()
        api = Api(database)
        with api.client:
            _fill(api)
        target = Database(f"sqlite:///{tmp_path / 'copy.db'}")
        done = _cli("db", "copy", "--from", url, "--to", _url(target), cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert _rows(target) == _rows(database)
        target.dispose()
        database.dispose()
