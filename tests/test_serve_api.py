"""The service's API on real databases (SQLite always, PostgreSQL when reachable): start-up, problems,
systems with ETag / If-Match, answers as events, profiles rebuilt, assessments."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from serve_fixtures import Api, Server, free_port
from sqlalchemy import text

from regatlas.serve.db import Database
from regatlas.serve.models import Base

pytest_plugins = ("serve_fixtures",)  # the fixtures: databases, the app, `regatlas serve` as a process
ROOT = Path(__file__).resolve().parents[1]
PROBLEM = "application/problem+json"


def test_migrations_make_the_schema_the_code_declares(database: Database) -> None:
    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    database.migrate()  # a second start migrates nothing and breaks nothing


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'x.db'}")
    database.migrate()
    with database.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"


def test_health_ready_and_openapi_answer_without_a_token(api: Api) -> None:
    assert api.client.get("/health").json() == {"status": "ok"}
    assert api.client.get("/ready").json() == {"status": "ready"}
    document = api.client.get("/openapi.json").json()
    assert "/v1/systems" in document["paths"]
    assert "ProblemDetail" in document["components"]["schemas"]


def test_errors_are_problem_details_naming_the_field(api: Api) -> None:
    response = api.client.post("/v1/systems", json={"name": "x", "owner": "y", "rolez": []}, headers=api.headers())
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert [e["field"] for e in response.json()["errors"]] == ["body.rolez"]
    response = api.client.post("/v1/systems", json={"name": "x", "owner": "y", "places": ["XX"]}, headers=api.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.places[0]"
    huge = api.client.get("/v1/systems/9223372036854775808", headers=api.headers())
    assert huge.status_code == 422 and huge.json()["errors"][0]["field"] == "path.system_id"
    missing = api.client.get("/v1/systems/5", headers=api.headers())
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM


def test_systems_are_created_listed_filtered_and_paginated(api: Api) -> None:
    for i in range(5):
        api.create_system(name=f"s{i}", owner="hr" if i % 2 else "it", places=["de"] if i < 3 else ["US-CA"])
    listed = api.client.get("/v1/systems", params={"limit": 2}, headers=api.headers()).json()
    assert [s["name"] for s in listed["items"]] == ["s0", "s1"] and listed["total"] == 5 and listed["next_offset"] == 2
    last = api.client.get("/v1/systems", params={"limit": 2, "offset": 4}, headers=api.headers()).json()
    assert [s["name"] for s in last["items"]] == ["s4"] and last["next_offset"] is None
    by_owner = api.client.get("/v1/systems", params={"owner": "hr"}, headers=api.headers()).json()
    assert [s["name"] for s in by_owner["items"]] == ["s1", "s3"]
    in_germany = api.client.get("/v1/systems", params={"place": "DE"}, headers=api.headers()).json()
    assert [s["name"] for s in in_germany["items"]] == ["s0", "s1", "s2"]
    assert in_germany["items"][0]["places"] == ["DE"]  # stored in the registry's spelling


def test_a_model_can_serve_several_systems(api: Api) -> None:
    for kind, names in (("models", ["gpt-x", "embed-1", "embed-10", "embed_1%"]), ("vendors", ["Acme"])):
        for name in names:  # a system names records of the register (tests/test_serve_records.py)
            assert api.client.post(f"/v1/{kind}", json={"name": name}, headers=api.headers()).status_code == 201
    api.create_system(name="chat", models=["gpt-x", "embed-1"], vendors=["Acme"])
    api.create_system(name="search", models=["embed-1"])
    api.create_system(name="scoring", models=["embed-10", "embed_1%"])
    on_embed = api.client.get("/v1/systems", params={"model": "embed-1"}, headers=api.headers()).json()
    assert [s["name"] for s in on_embed["items"]] == ["chat", "search"]  # not embed-10
    wildcards = api.client.get("/v1/systems", params={"model": "embed_1%"}, headers=api.headers()).json()
    assert [s["name"] for s in wildcards["items"]] == ["scoring"]  # _ and % are characters, not patterns
    by_vendor = api.client.get("/v1/systems", params={"vendor": "Acme"}, headers=api.headers()).json()
    assert [s["name"] for s in by_vendor["items"]] == ["chat"]


def test_a_change_needs_the_current_etag(api: Api) -> None:
    created = api.create_system(roles=["provider"])
    first = created.headers["ETag"]
    url = f"/v1/systems/{created.json()['id']}"
    without = api.client.patch(url, json={"owner": "legal"}, headers=api.headers())
    assert without.status_code == 428 and without.json()["errors"][0]["field"] == "header.If-Match"
    changed = api.client.patch(url, json={"owner": "legal"}, headers=api.headers(**{"If-Match": first}))
    assert changed.status_code == 200 and changed.json()["owner"] == "legal"
    assert changed.headers["ETag"] != first
    stale = api.client.patch(url, json={"owner": "risk"}, headers=api.headers(**{"If-Match": first}))
    assert stale.status_code == 412 and stale.headers["content-type"] == PROBLEM
    assert api.client.get(url, headers=api.headers()).json()["owner"] == "legal"
    archived = api.client.post(url + "/archive", headers=api.headers(**{"If-Match": changed.headers["ETag"]}))
    assert archived.json()["archived"] is True
    assert api.client.get("/v1/systems", headers=api.headers()).json()["total"] == 0
    assert api.client.get("/v1/systems?archived=true", headers=api.headers()).json()["total"] == 1


def _answer(api: Api, system_id: int, etag: str, answers: dict, why: str = "") -> httpx.Response:
    body = {"answers": answers, "justification": why}
    return api.client.post(f"/v1/systems/{system_id}/answers", json=body, headers=api.headers(**{"If-Match": etag}))


def test_answers_are_events_and_any_past_profile_can_be_rebuilt(api: Api) -> None:
    created = api.create_system()
    sid = created.json()["id"]
    first = _answer(api, sid, created.headers["ETag"], {"system.is_ai_system": True, "territory.used_in": ["de"]})
    assert first.status_code == 200
    assert [(e["fact"], e["old_value"], e["new_value"]) for e in first.json()] == [
        ("system.is_ai_system", None, True),
        ("territory.used_in", None, ["DE"]),
    ]
    second = _answer(api, sid, first.headers["ETag"], {"system.is_ai_system": "unknown"}, "we are not sure")
    assert second.json()[0] | {"at": None, "id": None} == {
        "id": None,
        "fact": "system.is_ai_system",
        "old_value": True,
        "new_value": None,
        "justification": "we are not sure",
        "actor": "token:1:first admin",
        "at": None,
        "system_version": 3,
    }
    profile = f"/v1/systems/{sid}/profile"
    assert api.client.get(profile, headers=api.headers()).json()["facts"] == {"territory.used_in": ["DE"]}
    at_two = api.client.get(profile, params={"version": 2}, headers=api.headers()).json()["facts"]
    assert at_two == {"system.is_ai_system": True, "territory.used_in": ["DE"]}
    moment = first.json()[0]["at"]
    assert api.client.get(profile, params={"at": moment}, headers=api.headers()).json()["facts"] == at_two
    assert api.client.get(profile, params={"at": "2000-01-01T00:00:00Z"}, headers=api.headers()).json()["facts"] == {}
    history = api.client.get(f"/v1/systems/{sid}/answers", headers=api.headers()).json()
    assert history["total"] == 3


def test_a_bad_answer_names_the_fact_and_changes_nothing(api: Api) -> None:
    created = api.create_system()
    sid, etag = created.json()["id"], created.headers["ETag"]
    bad = _answer(api, sid, etag, {"system.is_ai_system": "maybe", "system.is_ai_systm": True})
    assert bad.status_code == 422
    fields = {e["field"]: e for e in bad.json()["errors"]}
    assert set(fields) == {"body.answers.system.is_ai_system", "body.answers.system.is_ai_systm"}
    assert "system.is_ai_system" in fields["body.answers.system.is_ai_systm"]["message"]  # the nearest fact
    assert api.client.get(f"/v1/systems/{sid}", headers=api.headers()).headers["ETag"] == etag


def _example(name: str) -> dict:
    return json.loads(json.dumps(yaml.safe_load((ROOT / "examples" / name).read_text()), default=str))


def test_stateless_assess_gives_the_cli_json(api: Api) -> None:
    profile = _example("cv-screening.yaml")
    body = {"profile": profile, "as_of": "2026-12-01"}
    served = api.client.post("/v1/assess", json=body, headers=api.headers()).json()
    command = [sys.executable, "-m", "regatlas", "assess", "examples/cv-screening.yaml", "-f", "json"]
    cli = json.loads(subprocess.run([*command, "--as-of", "2026-12-01"], cwd=ROOT, capture_output=True).stdout)
    for result in (served, cli):
        result["profile"].pop("source")
    assert served == cli
    assert any(f["outcome"] == "yes" for f in served["findings"])
    bad = api.client.post("/v1/assess", json={"profile": {"system": {"is_ai_system": 1}}}, headers=api.headers())
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.profile.system.is_ai_system"


def test_a_stored_assessment_is_a_decision_log_entry(api: Api) -> None:
    created = api.create_system()
    sid = created.json()["id"]
    facts = {k: v for k, v in _flat(_example("cv-screening.yaml")).items()}
    _answer(api, sid, created.headers["ETag"], facts, "from the intake interview")
    stored = api.client.post(f"/v1/systems/{sid}/assessments", json={"as_of": "2026-12-01"}, headers=api.headers())
    assert stored.status_code == 201
    record = stored.json()
    assert record["revision"] and record["decision_id"] == record["result"]["decision_id"]
    assert record["as_of"] == "2026-12-01" and record["input"]["as_of"] == "2026-12-01"
    assert record["requested_by"] == "token:1:first admin"
    profile = api.client.get(f"/v1/systems/{sid}/profile", headers=api.headers()).json()
    assert record["profile_hash"] == profile["profile_hash"] and record["input"]["profile"] == profile["facts"]
    listed = api.client.get(f"/v1/systems/{sid}/assessments", headers=api.headers()).json()
    assert listed["total"] == 1 and listed["items"][0]["result"] is None
    again = api.client.get(f"/v1/systems/{sid}/assessments/{record['id']}", headers=api.headers()).json()
    assert again == record


def _flat(profile: dict) -> dict:
    return {
        f"{group}.{fact}": value
        for group, facts in profile.items()
        if isinstance(facts, dict)
        for fact, value in facts.items()
    }


def test_serve_prints_the_admin_token_on_first_start_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    first = Server(url, tmp_path)
    assert httpx.get(first.url + "/v1/systems", headers=first.headers()).status_code == 200
    first.stop()
    port = free_port()
    command = [sys.executable, "-m", "regatlas", "serve", "--db", url, "--port", str(port)]
    second = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        assert httpx.get(f"http://127.0.0.1:{port}/v1/systems", headers=first.headers()).status_code == 200
    finally:
        second.terminate()
        out, _ = second.communicate(timeout=20)
    assert "rga_" not in out


def test_serve_refuses_a_bad_database_url_with_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "regatlas", "serve", "--db", "mysql://x/y"], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 2 and "--db" in done.stderr and "Traceback" not in done.stderr


def test_dates_in_answers_are_stored_as_iso_dates(api: Api) -> None:
    created = api.create_system()
    sid = created.json()["id"]
    done = _answer(api, sid, created.headers["ETag"], {"system.placed_on_market_date": "2025-03-01"})
    assert done.json()[0]["new_value"] == dt.date(2025, 3, 1).isoformat()


def test_unreadable_bodies_and_dates_the_registry_cannot_place_are_problems(api: Api) -> None:
    headers = api.headers(**{"Content-Type": "application/json"})
    not_utf8 = api.client.post("/v1/assess", content=b"\xff\xfe{", headers=headers)
    assert not_utf8.status_code == 400 and not_utf8.json()["errors"][0]["field"] == "body"
    assert not_utf8.headers["content-type"] == PROBLEM
    early = {"profile": {"territory": {"used_in": ["DE"]}}, "as_of": "1900-01-01"}
    too_early = api.client.post("/v1/assess", json=early, headers=api.headers())
    assert too_early.status_code == 422 and too_early.json()["errors"][0]["field"] == "body.as_of"
    created = api.create_system()
    sid = created.json()["id"]
    _answer(api, sid, created.headers["ETag"], {"territory.used_in": ["DE"]})
    stored = api.client.post(f"/v1/systems/{sid}/assessments", json={"as_of": "1900-01-01"}, headers=api.headers())
    assert stored.status_code == 422 and stored.json()["errors"][0]["field"] == "body.as_of"
    assert api.client.get(f"/v1/systems/{sid}/assessments", headers=api.headers()).json()["total"] == 0


def test_a_misspelt_query_parameter_or_method_is_named(api: Api) -> None:
    misspelt = api.client.get("/v1/systems", params={"ownr": "hr"}, headers=api.headers())
    assert misspelt.status_code == 422 and misspelt.json()["errors"][0]["field"] == "query.ownr"
    assert "owner" in misspelt.json()["errors"][0]["allowed"]
    wrong_method = api.client.put("/v1/tokens", headers=api.headers())
    assert wrong_method.status_code == 405 and wrong_method.headers["Allow"] == "GET, POST"
