"""The system list filtered by what each system's status says: risk class, instrument reached, verdict. The
statuses are made by the follow-up run (serve/followup.py) on a date, and the labels follow them."""

from __future__ import annotations

import datetime as dt

from serve_fixtures import Api, example_answers

from regatlas.rules.loader import load_pack
from regatlas.serve.followup import reassess

pytest_plugins = ("serve_fixtures",)


def _system(api: Api, example: str) -> int:
    created = api.create_system(name=example.removesuffix(".yaml"))
    headers = api.headers(**{"If-Match": created.headers["ETag"]})
    body = {"answers": example_answers(example), "justification": "from the example profile"}
    answered = api.client.post(f"/v1/systems/{created.json()['id']}/answers", json=body, headers=headers)
    assert answered.status_code == 200, answered.text
    return created.json()["id"]


def _listed(api: Api, **query: str) -> list[int]:
    response = api.client.get("/v1/systems", params=query, headers=api.headers())
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_filters_follow_the_status_and_its_date(api: Api) -> None:
    cv = _system(api, "cv-screening.yaml")
    emotions = _system(api, "workplace-emotion-recognition.yaml")
    assert _listed(api, verdict="prohibited") == []  # no status yet: nothing is claimed
    reassess(api.database, load_pack(cache=True), dt.date(2026, 12, 2), "test")
    # On 2 Dec 2026 the Annex III classes do not apply yet (from 2 Dec 2027): nobody is high-risk today.
    assert _listed(api, **{"class": "high-risk"}) == []
    assert _listed(api, verdict="prohibited") == [emotions]  # Art. 5(1)(f), workplace emotion recognition
    assert _listed(api, instrument="eu_ai_act") == [cv, emotions]
    assert _listed(api, instrument="eu_ai_act", verdict="prohibited", owner="hr") == [emotions]

    reassess(api.database, load_pack(cache=True), dt.date(2028, 1, 3), "test")
    # From 2 Dec 2027 both are high-risk (Annex III 4(a) recruitment; 1(c) emotion recognition), while the
    # emotion system's verdict stays "prohibited", the stronger finding.
    assert _listed(api, **{"class": "high-risk"}) == [cv, emotions]
    assert _listed(api, verdict="risk_class") == [cv]


def test_a_misspelt_instrument_or_verdict_is_named(api: Api) -> None:
    response = api.client.get("/v1/systems", params={"instrument": "eu_ai_actt"}, headers=api.headers())
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "query.instrument" and "eu_ai_act" in error["message"]
    response = api.client.get("/v1/systems", params={"verdict": "forbidden"}, headers=api.headers())
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "query.verdict"
