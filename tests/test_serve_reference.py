"""The reference routes on the real app (a SQLite file; one PostgreSQL smoke test): the fact vocabulary, the
instruments with their rules, the parties and a jurisdiction's standing, each equal to the pack and to the JSON
of the CLI command that shows the same thing, paginated, with errors naming the field."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_fixtures import Api, pg_database

from regatlas.rules.pack import Pack
from regatlas.serve.db import Database

pytest_plugins = ("serve_fixtures",)
ROOT = Path(__file__).resolve().parents[1]
DAY = "2026-11-28"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """Read-only routes: one app on one SQLite file serves every test of the module."""
    database = Database(f"sqlite:///{tmp_path_factory.mktemp('reference') / 'regatlas.db'}")
    database.migrate()
    app_api = Api(database)
    with app_api.client:
        yield app_api
    database.dispose()


def _cli(*args: str) -> object:
    done = subprocess.run([sys.executable, "-m", "regatlas", *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _get(api: Api, url: str, expect: int = 200, **params: object) -> dict:
    response = api.client.get(url, params=params, headers=api.headers())
    assert response.status_code == expect, response.text
    return response.json()


def _all_pages(api: Api, url: str, limit: int, **params: object) -> list[dict]:
    items: list[dict] = []
    offset: int | None = 0
    while offset is not None:
        got = _get(api, url, limit=limit, offset=offset, **params)
        assert got["limit"] == limit and got["offset"] == offset and len(got["items"]) <= limit
        items += got["items"]
        offset = got["next_offset"]
    assert len(items) == got["total"]
    return items


def _field(response_json: dict) -> list[str]:
    return [e["field"] for e in response_json["errors"]]


def test_the_vocabulary_is_the_packs_and_pages_through_it(api: Api, pack: Pack) -> None:
    items = _all_pages(api, "/v1/vocabulary", 37)
    assert [i["id"] for i in items] == sorted(pack.vocabulary.facts)
    assert items == [pack.vocabulary[i["id"]].to_json() for i in items]
    cli = _cli("facts", "-f", "json")
    assert sorted(cli, key=lambda f: f["id"]) == items  # the same rows as `regatlas facts -f json`


def test_the_vocabulary_filters_and_one_fact(api: Api, pack: Pack) -> None:
    places = _get(api, "/v1/vocabulary", prefix="territory.")["items"]
    assert places and all(f["id"].startswith("territory.") for f in places)
    assert {f["id"] for f in places} == {f for f in pack.vocabulary.facts if f.startswith("territory.")}
    enums = _get(api, "/v1/vocabulary", type="enum")
    assert enums["total"] == sum(1 for f in pack.vocabulary.facts.values() if f.type == "enum")
    assert all(f["values"] and f["allowed"] == list(f["values"]) for f in enums["items"])
    one = _get(api, "/v1/vocabulary/system.is_ai_system")
    assert one["type"] == "bool" and one["question"] == pack.vocabulary["system.is_ai_system"].question
    missing = _get(api, "/v1/vocabulary/system.is_ai_systm", 404)
    assert _field(missing) == ["path.fact_id"] and "system.is_ai_system" in missing["errors"][0]["message"]
    assert _field(_get(api, "/v1/vocabulary", 422, type="text")) == ["query.type"]


def test_the_instruments_are_the_clis(api: Api, pack: Pack) -> None:
    listed = _get(api, "/v1/instruments", jurisdiction="us-ca", status="in_force", as_of=DAY, limit=500)
    cli = _cli("instruments", "-j", "US-CA", "--status", "in_force", "--as-of", DAY, "-f", "json")
    assert listed["items"] == cli["instruments"] and listed["total"] == len(cli["instruments"]) > 0
    every = _all_pages(api, "/v1/instruments", 16, as_of=DAY)
    assert sorted(i["id"] for i in every) == sorted(pack.instruments)
    assert every == _cli("instruments", "--as-of", DAY, "-f", "json")["instruments"]
    assert _field(_get(api, "/v1/instruments", 422, jurisdiction="XX")) == ["query.jurisdiction"]
    assert _field(_get(api, "/v1/instruments", 422, status="in_forc")) == ["query.status"]


def test_an_instrument_has_its_rules_with_citations_and_dates(api: Api, pack: Pack) -> None:
    detail = _get(api, "/v1/instruments/eu_ai_act", as_of=DAY)
    instrument = pack.instruments["eu_ai_act"]
    assert detail["id"] == "eu_ai_act" and detail["as_of"] == DAY and detail["status"] == "in_force"
    assert [r["key"] for r in detail["rules_detail"]] == [r.key for r in instrument.rules.values()]
    assert detail["rules"] == len(instrument.rules) == len(detail["rules_detail"])
    for shown, rule in zip(detail["rules_detail"], instrument.rules.values(), strict=True):
        assert shown["citation"] == rule.citation_label
        assert [v["valid_from"] for v in shown["versions"]] == [v.version.valid_from.isoformat() for v in rule.versions]
    art5 = next(r for r in detail["rules_detail"] if r["id"] == "art5_1_f_emotion_recognition")
    assert art5["in_force"] and art5["versions"][0]["applies_from"] == "2025-02-02"
    before = _get(api, "/v1/instruments/eu_ai_act", as_of="2024-01-01")
    assert before["status"] != "in_force" and not any(r["in_force"] for r in before["rules_detail"])
    assert [e["event"] for e in detail["status_events"]][:1] and detail["status_events"] == sorted(
        detail["status_events"], key=lambda e: e["date"]
    )
    missing = _get(api, "/v1/instruments/eu_ai_ac", 404)
    assert _field(missing) == ["path.instrument_id"] and "eu_ai_act" in missing["errors"][0]["message"]
    assert _field(_get(api, "/v1/instruments/eu_ai_act", 422, as_of="2026-02-30")) == ["query.as_of"]


def test_the_parties_are_the_clis(api: Api) -> None:
    paris = _get(api, "/v1/parties", instrument="intl_paris_2025", as_of=DAY, limit=500)
    cli = _cli("parties", "intl_paris_2025", "--as-of", DAY, "-f", "json")
    rows = [{k: v for k, v in r.items() if k not in ("instrument", "instrument_title")} for r in paris["items"]]
    assert rows == cli["parties"] and paris["total"] == len(rows) > 10
    britain = _get(api, "/v1/parties", instrument="intl_paris_2025", party="gb", as_of=DAY)["items"]
    assert [(r["party"], r["participation"]) for r in britain] == [("GB", "declined")]
    india = _all_pages(api, "/v1/parties", 3, party="IN", as_of=DAY)
    assert {r["instrument"] for r in india} >= {"intl_paris_2025", "intl_unga_78_241"}
    vote = next(r for r in india if r["instrument"] == "intl_unga_78_241")
    assert vote["participation"] == "against" and vote["date"] == "2023-12-22"
    assert _field(_get(api, "/v1/parties", 422, party="XX")) == ["query.party"]
    assert _field(_get(api, "/v1/parties", 422, instrument="paris")) == ["query.instrument"]


def test_a_jurisdictions_standing_is_the_clis(api: Api) -> None:
    served = _get(api, "/v1/jurisdictions/gb", as_of=DAY)
    assert served == _cli("jurisdiction", "GB", "--as-of", DAY, "-f", "json")
    assert served["code"] == "GB" and any(r["instrument"] == "intl_paris_2025" for r in served["declined"])
    assert _field(_get(api, "/v1/jurisdictions/XX", 404)) == ["path.code"]


def test_a_date_the_registry_cannot_place_names_the_field(api: Api) -> None:
    early = _get(api, "/v1/instruments", 422, jurisdiction="DE", as_of="1900-01-01")
    assert _field(early) == ["query.as_of"] and "1958-01-01" in early["errors"][0]["allowed"][0]
    assert _field(_get(api, "/v1/jurisdictions/DE", 422, as_of="1900-01-01")) == ["query.as_of"]


def test_reference_routes_on_postgresql(tmp_path: Path) -> None:
    with pg_database() as url:
        database = Database(url)
        database.migrate()
        try:
            pg = Api(database)
            with pg.client:
                assert _get(pg, "/v1/vocabulary/system.is_ai_system")["type"] == "bool"
                assert _get(pg, "/v1/instruments", limit=1)["total"] > 1
                viewer = pg.token("viewer")
                response = pg.client.get("/v1/parties", params={"party": "GB"}, headers=pg.headers(viewer))
                assert response.status_code == 200 and response.json()["total"] > 0
        finally:
            database.dispose()
