"""The analysis routes on the real app (a SQLite file; one PostgreSQL smoke test): a system's open questions
ranked by look-ahead (and the stateless POST /v1/questions), its comparison (the CLI's `compare -f json`) and its
report (the CLI's HTML, and a PDF), with errors naming the field."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_fixtures import Api, pg_database

from regatlas.facts.profile import load_profile
from regatlas.rules.pack import Pack
from regatlas.serve.db import Database, now
from regatlas.serve.models import AnswerEvent

pytest_plugins = ("serve_fixtures",)
ROOT = Path(__file__).resolve().parents[1]
DAY = "2026-11-28"
SAFE_NAME = re.compile(r'^attachment; filename="[A-Za-z0-9.-]+"$')


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    database = Database(f"sqlite:///{tmp_path / 'regatlas.db'}")
    database.migrate()
    app_api = Api(database)
    with app_api.client:
        yield app_api
    database.dispose()


def _facts(pack: Pack, example: str) -> dict:
    """The example's facts as the API takes answers: full fact ids, JSON values (sets as lists, ISO dates)."""
    return load_profile(ROOT / "examples" / example, pack.vocabulary).to_json()


def _system(api: Api, name: str, facts: dict, description: str = "") -> int:
    created = api.create_system(name=name, description=description)
    answered = api.client.post(
        f"/v1/systems/{created.json()['id']}/answers",
        json={"answers": facts, "justification": "from the example"},
        headers=api.headers(**{"If-Match": created.headers["ETag"]}),
    )
    assert answered.status_code == 200, answered.text
    return created.json()["id"]


def _answer(api: Api, system_id: int, answers: dict) -> None:
    etag = api.client.get(f"/v1/systems/{system_id}", headers=api.headers()).headers["ETag"]
    done = api.client.post(
        f"/v1/systems/{system_id}/answers", json={"answers": answers}, headers=api.headers(**{"If-Match": etag})
    )
    assert done.status_code == 200, done.text


def _get(api: Api, url: str, expect: int = 200, **params: object):  # type: ignore[no-untyped-def]
    response = api.client.get(url, params=params, headers=api.headers())
    assert response.status_code == expect, response.text[:500]
    return response


def _cli(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "regatlas", *args], cwd=ROOT, capture_output=True)
    assert done.returncode == 0, done.stderr
    return done


def _read_name(example: str) -> str:
    for line in (ROOT / "examples" / example).read_text().splitlines():
        if line.startswith("name:"):
            return line.split(":", 1)[1].strip().strip("\"'")
    raise AssertionError(f"{example} has no name")


@pytest.mark.parametrize("example", ["cv-screening.yaml", "frontier-developer.yaml"])
def test_compare_is_the_clis_for_the_systems_profile(api: Api, pack: Pack, example: str) -> None:
    system_id = _system(api, _read_name(example), _facts(pack, example))
    served = _get(api, f"/v1/systems/{system_id}/compare", as_of=DAY).json()
    cli = json.loads(_cli("compare", f"examples/{example}", "--as-of", DAY, "-f", "json").stdout)
    assert served == cli and served["jurisdictions"]
    with_unknown = _get(api, f"/v1/systems/{system_id}/compare", as_of=DAY, include_unknown="true").json()
    cli = json.loads(_cli("compare", f"examples/{example}", "--as-of", DAY, "-f", "json", "--include-unknown").stdout)
    assert with_unknown == cli


def test_the_report_is_the_clis_html_and_a_pdf(api: Api, pack: Pack, tmp_path: Path) -> None:
    example = "cv-screening.yaml"
    described = load_profile(ROOT / "examples" / example, pack.vocabulary)
    system_id = _system(api, described.name, _facts(pack, example), described.description)
    html = _get(api, f"/v1/systems/{system_id}/report", as_of=DAY)
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert SAFE_NAME.match(html.headers["content-disposition"]), html.headers["content-disposition"]
    _cli("report", f"examples/{example}", "--as-of", DAY, "--html", str(tmp_path / "cli.html"))
    assert html.content == (tmp_path / "cli.html").read_bytes()
    pdf = _get(api, f"/v1/systems/{system_id}/report", format="pdf", as_of=DAY)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"].endswith(f'-{DAY}.pdf"')


def test_a_report_file_name_is_safe_whatever_the_systems_name(api: Api) -> None:
    created = api.create_system(name='../Talent "Sift"; ü\r\nX-Evil: 1')
    response = _get(api, f"/v1/systems/{created.json()['id']}/report", as_of=DAY)
    disposition = response.headers["content-disposition"]
    expected = f'attachment; filename="regatlas-{created.json()["id"]}-Talent-Sift-X-Evil-1-{DAY}.html"'
    assert disposition == expected and SAFE_NAME.match(disposition)
    assert "x-evil" not in {k.lower() for k in response.headers}


def test_questions_rank_what_settles_most_and_an_answer_settles_what_was_foreseen(api: Api, pack: Pack) -> None:
    facts = _facts(pack, "workplace-emotion-recognition.yaml")
    removed = sorted(f for f in facts if pack.vocabulary[f].type in ("bool", "enum", "set"))[::2]
    system_id = _system(api, "EmoWatch", {k: v for k, v in facts.items() if k not in removed})
    before = _get(api, f"/v1/systems/{system_id}/questions", as_of=DAY).json()
    top = before["items"][0]
    assert before["total"] > 1 and before["open_findings"] > 0 and top["expected_settled"] > 0
    assert top["question"] == pack.vocabulary[top["fact"]].question and top["help"] == pack.vocabulary[top["fact"]].help
    assert all(s["citation"] and s["finding"].startswith(s["instrument_id"] + ":") for s in top["settles"])
    expected = [q["expected_settled"] for q in before["items"]]
    assert expected == sorted(expected, reverse=True)
    profile = _get(api, f"/v1/systems/{system_id}/profile").json()["facts"]
    stateless = api.client.post("/v1/questions", json={"profile": profile, "as_of": DAY}, headers=api.headers())
    assert stateless.json() == before  # the same ranking for the same profile and date
    best = max(top["by_answer"], key=lambda a: a["settles"])
    _answer(api, system_id, {top["fact"]: best["answer"]})
    after = _get(api, f"/v1/systems/{system_id}/questions", as_of=DAY).json()
    assert after["open_findings"] == before["open_findings"] - best["settles"] < before["open_findings"]
    assert top["fact"] not in {q["fact"] for q in after["items"] + after["unweighed"]}
    page = _get(api, f"/v1/systems/{system_id}/questions", as_of=DAY, limit=2, offset=1).json()
    assert page["items"] == after["items"][1:3] and page["next_offset"] == (3 if after["total"] > 3 else None)


def test_numbers_dates_and_places_are_weighed_too(api: Api, pack: Pack) -> None:
    profile = _facts(pack, "open-weights-gpai.yaml")
    ranked = api.client.post("/v1/questions", json={"profile": profile, "as_of": DAY}, headers=api.headers()).json()
    assert all(q["reason"] and q["waiting"] and not q["weighed"] for q in ranked["unweighed"])
    assert {q["type"] for q in ranked["unweighed"]} <= {"number", "date"}
    assert all(q["weighed"] for q in ranked["items"])
    places = next(q for q in ranked["items"] if q["type"] == "jurisdictions")
    assert places["by_answer"][0]["answer"] == [] and all(len(a["answer"]) == 1 for a in places["by_answer"][1:])
    dated = next(q for q in ranked["items"] if q["type"] == "date")  # answers as a profile file writes them
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", a["answer"]) for a in dated["by_answer"])
    assert dated["weighed_over"].startswith("one value in each range")


def test_stored_answers_the_vocabulary_no_longer_accepts_are_a_conflict(api: Api) -> None:
    system_id = api.create_system().json()["id"]
    with api.database.write() as session:  # an answer given under an earlier vocabulary that had this fact
        session.add(
            AnswerEvent(
                system_id=system_id,
                fact="system.retired_fact",
                old_value="null",
                new_value="true",
                justification="",
                actor="test",
                at=now(),
                system_version=1,
            )
        )
    for route in ("questions", "compare", "report"):
        conflict = _get(api, f"/v1/systems/{system_id}/{route}", 409).json()
        assert [e["field"] for e in conflict["errors"]] == ["answers.system.retired_fact"]


def test_answers_that_contradict_each_other_on_the_date_are_named(api: Api) -> None:
    contradiction = {"territory.offered_in": ["US"], "territory.placed_on_eu_market": True}
    system_id = _system(api, "contradicted", contradiction)  # each answer valid alone; together, not on any date
    for route in ("questions", "compare", "report"):
        conflict = _get(api, f"/v1/systems/{system_id}/{route}", 409)
        assert _field(conflict) == ["answers.territory.placed_on_eu_market"]
    posted = api.client.post("/v1/questions", json={"profile": contradiction}, headers=api.headers())
    assert posted.status_code == 422 and _field(posted) == ["body.profile.territory.placed_on_eu_market"]
    # The assessment routes say the same: a posted profile's fault (422), stored answers in conflict (409).
    posted = api.client.post("/v1/assess", json={"profile": contradiction}, headers=api.headers())
    assert posted.status_code == 422 and _field(posted) == ["body.profile.territory.placed_on_eu_market"]
    stored = api.client.post(f"/v1/systems/{system_id}/assessments", json={}, headers=api.headers())
    assert stored.status_code == 409 and _field(stored) == ["answers.territory.placed_on_eu_market"]
    early = api.client.post(
        "/v1/assess", json={"profile": {"territory.offered_in": ["DE"]}, "as_of": "1900-01-01"}, headers=api.headers()
    )
    assert early.status_code == 422 and _field(early) == ["body.as_of"]


def test_errors_name_the_field(api: Api) -> None:
    system_id = _system(api, "placed", {"territory.offered_in": ["DE"]})  # a place: the registry reads the date
    for route in ("questions", "compare", "report"):
        assert _field(_get(api, f"/v1/systems/999/{route}", 404)) == ["path.system_id"]
        assert _field(_get(api, f"/v1/systems/{system_id}/{route}", 422, as_of="2026-13-01")) == ["query.as_of"]
        assert _field(_get(api, f"/v1/systems/{system_id}/{route}", 422, as_of="1900-01-01")) == ["query.as_of"]
    assert _field(_get(api, f"/v1/systems/{system_id}/report", 422, format="docx")) == ["query.format"]
    assert _field(_get(api, f"/v1/systems/{system_id}/report", 422, map="nowhere")) == ["query.map"]
    assert _field(_get(api, f"/v1/systems/{system_id}/compare", 422, include_unknown="maybe")) == [
        "query.include_unknown"
    ]
    bad = api.client.post("/v1/questions", json={"profile": {"system.is_ai_system": 1}}, headers=api.headers())
    assert bad.status_code == 422 and _field(bad) == ["body.profile.system.is_ai_system"]
    early = api.client.post(
        "/v1/questions",
        json={"profile": {"territory.offered_in": ["DE"]}, "as_of": "1900-01-01"},
        headers=api.headers(),
    )
    assert early.status_code == 422 and _field(early) == ["body.as_of"]


def _field(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["field"] for e in response.json()["errors"]]


def test_analysis_routes_on_postgresql(pack: Pack) -> None:
    with pg_database() as url:
        database = Database(url)
        database.migrate()
        try:
            pg = Api(database)
            with pg.client:
                system_id = _system(pg, "TalentSift", _facts(pack, "cv-screening.yaml"))
                assert _get(pg, f"/v1/systems/{system_id}/questions", as_of=DAY).json()["open_findings"] == 0
                assert _get(pg, f"/v1/systems/{system_id}/compare", as_of=DAY).json()["jurisdictions"]
        finally:
            database.dispose()
