"""Models and vendors as records (SQLite always, PostgreSQL when reachable): a model shared by systems, names
that must be in the register, filters, ETag / If-Match on records, archiving, the audit entries, and the
migration that turns the old name lists into records."""

from __future__ import annotations

import json
import threading

import httpx
from alembic import command
from alembic.config import Config
from serve_fixtures import Api, Server
from sqlalchemy import inspect, text

from regatlas.serve import audit
from regatlas.serve.db import MIGRATIONS, Database

pytest_plugins = ("serve_fixtures",)
PROBLEM = "application/problem+json"


def _post(api: Api, kind: str, **fields: object) -> httpx.Response:
    response = api.client.post(f"/v1/{kind}", json=fields, headers=api.headers())
    assert response.status_code == 201, response.text
    return response


def _get(api: Api, url: str, **params: object) -> dict:
    response = api.client.get(url, params=params, headers=api.headers())
    assert response.status_code == 200, response.text
    return response.json()


def _names(listed: dict) -> list[str]:
    return [item["name"] for item in listed["items"]]


def test_a_model_serves_two_systems_and_they_show_it_as_a_record(api: Api) -> None:
    embed = _post(api, "models", name="embed-1", provider="Acme AI", general_purpose=True).json()
    other = _post(api, "models", name="gpt-x").json()
    acme = _post(api, "vendors", name="Acme AI", contact="legal@acme.example").json()
    chat = api.create_system(name="chat", models=["gpt-x", "embed-1"], vendors=["Acme AI"]).json()
    search = api.create_system(name="search", models=["embed-1", "embed-1"]).json()  # named twice, linked once
    assert chat["models"] == [{"id": embed["id"], "name": "embed-1"}, {"id": other["id"], "name": "gpt-x"}]
    assert chat["vendors"] == [{"id": acme["id"], "name": "Acme AI"}]
    assert search["models"] == [{"id": embed["id"], "name": "embed-1"}]
    on_embed = _get(api, f"/v1/models/{embed['id']}/systems")
    assert [s["id"] for s in on_embed["items"]] == [chat["id"], search["id"]] and on_embed["total"] == 2
    assert _names(_get(api, f"/v1/models/{other['id']}/systems")) == ["chat"]
    assert _names(_get(api, f"/v1/vendors/{acme['id']}/systems")) == ["chat"]
    assert _names(_get(api, "/v1/systems", model_id=embed["id"])) == ["chat", "search"]
    assert _names(_get(api, "/v1/systems", model="gpt-x")) == ["chat"]
    assert _names(_get(api, "/v1/systems", vendor_id=acme["id"])) == ["chat"]
    assert _get(api, "/v1/systems", model="no such model")["total"] == 0
    # A record renamed is renamed wherever it is used: the systems link to it, not to its old name.
    read = api.client.get(f"/v1/models/{embed['id']}", headers=api.headers())
    renamed = api.client.patch(
        f"/v1/models/{embed['id']}", json={"name": "embed-2"}, headers=api.headers(**{"If-Match": read.headers["ETag"]})
    )
    assert renamed.status_code == 200 and renamed.json()["version"] == 2
    assert _get(api, f"/v1/systems/{search['id']}")["models"] == [{"id": embed["id"], "name": "embed-2"}]


def test_a_system_names_only_records_of_the_register(api: Api) -> None:
    _post(api, "models", name="gpt-x")
    bad = api.client.post(
        "/v1/systems", json={"name": "s", "owner": "o", "models": ["gpt-x", "gpt-y"]}, headers=api.headers()
    )
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM
    [error] = bad.json()["errors"]
    assert error["field"] == "body.models[1]" and "'gpt-x'" in error["message"]  # the nearest name it holds
    assert _get(api, "/v1/systems")["total"] == 0  # nothing was created
    created = api.create_system(models=["gpt-x"])
    sid, tag = created.json()["id"], created.headers["ETag"]
    bad_vendor = api.client.patch(
        f"/v1/systems/{sid}", json={"vendors": ["Nobody"]}, headers=api.headers(**{"If-Match": tag})
    )
    assert bad_vendor.status_code == 422 and bad_vendor.json()["errors"][0]["field"] == "body.vendors[0]"
    unchanged = api.client.get(f"/v1/systems/{sid}", headers=api.headers())
    assert unchanged.headers["ETag"] == tag  # the refused change moved nothing on
    cleared = api.client.patch(f"/v1/systems/{sid}", json={"models": []}, headers=api.headers(**{"If-Match": tag}))
    assert cleared.status_code == 200 and cleared.json()["models"] == []


def test_records_are_listed_filtered_and_paginated(api: Api) -> None:
    _post(api, "models", name="a", provider="Acme AI", general_purpose=True)
    _post(api, "models", name="b", provider="Acme AI", general_purpose=False)
    _post(api, "models", name="c", provider="in-house")
    _post(api, "models", name="d_%", provider="in-house")
    assert _names(_get(api, "/v1/models", provider="Acme AI")) == ["a", "b"]
    assert _names(_get(api, "/v1/models", general_purpose="yes")) == ["a"]
    assert _names(_get(api, "/v1/models", general_purpose="no")) == ["b"]
    assert _names(_get(api, "/v1/models", general_purpose="unknown")) == ["c", "d_%"]  # never said: unknown
    assert _names(_get(api, "/v1/models", name="d_%")) == ["d_%"]
    first = _get(api, "/v1/models", limit=3)
    assert _names(first) == ["a", "b", "c"] and first["total"] == 4 and first["next_offset"] == 3
    assert _names(_get(api, "/v1/models", limit=3, offset=3)) == ["d_%"]
    bad = api.client.get("/v1/models", params={"general_purpose": "maybe"}, headers=api.headers())
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.general_purpose"
    _post(api, "vendors", name="Acme AI")
    _post(api, "vendors", name="Beta")
    assert _names(_get(api, "/v1/vendors", name="Beta")) == ["Beta"]


def test_a_record_change_needs_the_current_etag(api: Api) -> None:
    created = _post(api, "models", name="m", general_purpose=True)
    url, first = f"/v1/models/{created.json()['id']}", created.headers["ETag"]
    without = api.client.patch(url, json={"provider": "x"}, headers=api.headers())
    assert without.status_code == 428 and without.json()["errors"][0]["field"] == "header.If-Match"
    changed = api.client.patch(url, json={"general_purpose": None}, headers=api.headers(**{"If-Match": first}))
    assert changed.status_code == 200 and changed.json()["general_purpose"] is None  # null: not known again
    stale = api.client.patch(url, json={"provider": "y"}, headers=api.headers(**{"If-Match": first}))
    assert stale.status_code == 412 and stale.headers["ETag"] == changed.headers["ETag"]
    kept = api.client.patch(
        url, json={"provider": None, "description": "d"}, headers=api.headers(**{"If-Match": changed.headers["ETag"]})
    )
    assert kept.json()["provider"] == "" and kept.json()["description"] == "d"  # null leaves other fields alone
    vendor = _post(api, "vendors", name="v")
    vendor_url = f"/v1/vendors/{vendor.json()['id']}"
    api.client.patch(vendor_url, json={"contact": "a"}, headers=api.headers(**{"If-Match": vendor.headers["ETag"]}))
    late = api.client.patch(
        vendor_url, json={"contact": "b"}, headers=api.headers(**{"If-Match": vendor.headers["ETag"]})
    )
    assert late.status_code == 412 and _get(api, vendor_url)["contact"] == "a"


def test_names_are_unique_in_the_register(api: Api) -> None:
    _post(api, "models", name="m")
    other = _post(api, "models", name="n")
    again = api.client.post("/v1/models", json={"name": "m"}, headers=api.headers())
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "body.name"
    url = f"/v1/models/{other.json()['id']}"
    taken = api.client.patch(url, json={"name": "m"}, headers=api.headers(**{"If-Match": other.headers["ETag"]}))
    assert taken.status_code == 409 and _get(api, url)["name"] == "n"
    same = api.client.patch(url, json={"name": "n"}, headers=api.headers(**{"If-Match": other.headers["ETag"]}))
    assert same.status_code == 200  # its own name is not taken
    assert _names(_get(api, "/v1/models")) == ["m", "n"]


def test_an_archived_record_keeps_its_links_but_takes_no_new_ones(api: Api) -> None:
    model = _post(api, "models", name="old")
    system = api.create_system(name="legacy", models=["old"])
    archived = api.client.post(
        f"/v1/models/{model.json()['id']}/archive", headers=api.headers(**{"If-Match": model.headers["ETag"]})
    )
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert _get(api, "/v1/models")["total"] == 0 and _names(_get(api, "/v1/models", archived=True)) == ["old"]
    refused = api.client.post(
        "/v1/systems", json={"name": "new", "owner": "o", "models": ["old"]}, headers=api.headers()
    )
    assert refused.status_code == 422 and "archived" in refused.json()["errors"][0]["message"]
    kept = api.client.patch(
        f"/v1/systems/{system.json()['id']}",
        json={"models": ["old"], "owner": "it"},
        headers=api.headers(**{"If-Match": system.headers["ETag"]}),
    )
    assert kept.status_code == 200 and [m["name"] for m in kept.json()["models"]] == ["old"]
    assert _names(_get(api, f"/v1/models/{model.json()['id']}/systems")) == ["legacy"]
    missing = api.client.get("/v1/models/999/systems", headers=api.headers())
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "path.model_id"


def test_every_record_write_is_in_the_audit_log(api: Api) -> None:
    model = _post(api, "models", name="m")
    vendor = _post(api, "vendors", name="v")
    api.client.patch(
        f"/v1/models/{model.json()['id']}",
        json={"provider": "p"},
        headers=api.headers(**{"If-Match": model.headers["ETag"]}),
    )
    api.client.post(
        f"/v1/vendors/{vendor.json()['id']}/archive", headers=api.headers(**{"If-Match": vendor.headers["ETag"]})
    )
    system = api.create_system(models=["m"])
    api.client.patch(
        f"/v1/systems/{system.json()['id']}",
        json={"models": []},
        headers=api.headers(**{"If-Match": system.headers["ETag"]}),
    )
    entries = _get(api, "/v1/audit", limit=500)["items"]
    assert [(e["action"], e["target"]) for e in entries[1:]] == [
        ("model.create", f"model:{model.json()['id']}"),
        ("vendor.create", f"vendor:{vendor.json()['id']}"),
        ("model.update", f"model:{model.json()['id']}"),
        ("vendor.archive", f"vendor:{vendor.json()['id']}"),
        ("system.create", f"system:{system.json()['id']}"),
        ("system.update", f"system:{system.json()['id']}"),
    ]
    assert entries[3]["data"]["changes"] == {"provider": "p"}
    assert entries[5]["data"]["models"] == [{"id": model.json()["id"], "name": "m"}]
    assert entries[6]["data"]["changes"] == {"models": []} and entries[6]["data"]["models"] == []
    assert audit.verify(api.database).ok


def _alembic(database: Database, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_the_migration_turns_name_lists_into_records(db_url: str) -> None:
    database = Database(db_url)
    try:
        _alembic(database, "0002")
        with database.engine.begin() as connection:
            for sid, models, vendors in ((1, ["gpt-x", "embed-1"], ["Acme"]), (2, ["embed-1"], []), (3, [], [])):
                connection.execute(
                    text(
                        "INSERT INTO systems (id, name, owner, lifecycle, roles, places, models, vendors, description,"
                        " archived, version, created_at, updated_at) VALUES (:id, :name, 'o', 'design', '[]', '[]',"
                        " :models, :vendors, '', false, 1, 't', 't')"
                    ),
                    {"id": sid, "name": f"s{sid}", "models": json.dumps(models), "vendors": json.dumps(vendors)},
                )
            connection.execute(  # a row that references a system: the columns must go without touching it
                text(
                    "INSERT INTO answer_events (system_id, fact, old_value, new_value, justification, actor, at,"
                    " system_version) VALUES (1, 'system.is_ai_system', 'null', 'true', '', 'a', 't', 1)"
                )
            )
        database.migrate()
        columns = {column["name"] for column in inspect(database.engine).get_columns("systems")}
        assert not {"models", "vendors"} & columns
        with database.read() as session:
            models = dict(session.execute(text("SELECT name, id FROM models")).all())
            links = session.execute(text("SELECT system_id, model_id FROM system_models ORDER BY 1, 2")).all()
            vendor_links = session.execute(
                text("SELECT s.system_id, v.name FROM system_vendors s JOIN vendors v ON v.id = s.vendor_id")
            ).all()
            general = session.execute(text("SELECT DISTINCT general_purpose FROM models")).scalars().all()
        assert set(models) == {"gpt-x", "embed-1"} and general == [None]  # nothing was said: unknown
        assert sorted(links) == sorted([(1, models["gpt-x"]), (1, models["embed-1"]), (2, models["embed-1"])])
        assert vendor_links == [(1, "Acme")]
        verdict = audit.verify(database)
        assert verdict.ok and verdict.entries == 1
        with database.read() as session:
            entry = session.execute(text("SELECT actor, action, data FROM audit_log")).one()
        assert entry[:2] == ("migration 0003", "records.migrate")
        assert {m["name"]: m["systems"] for m in json.loads(entry[2])["models"]} == {"embed-1": [1, 2], "gpt-x": [1]}
    finally:
        database.dispose()


def test_eight_writers_with_one_etag_change_a_model_once(server: Server) -> None:
    created = httpx.post(server.url + "/v1/models", json={"name": "m"}, headers=server.headers())
    url, tag = f"{server.url}/v1/models/{created.json()['id']}", created.headers["ETag"]
    start = threading.Barrier(8)
    statuses: list[int] = []

    def write(index: int) -> None:
        start.wait()
        body = {"description": f"writer {index}"}
        statuses.append(
            httpx.patch(url, json=body, headers=server.headers(**{"If-Match": tag}), timeout=60).status_code
        )

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [412] * 7  # exactly one wins; the others must read again
    final = httpx.get(url, headers=server.headers()).json()
    assert final["version"] == 2 and final["description"].startswith("writer ")
