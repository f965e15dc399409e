"""A system's law ahead and between dates: the calendar (JSON, and iCalendar read back with the icalendar
library), the assessment at a date, the diff of two dates, and the problems a wrong query gets."""

from __future__ import annotations

import datetime as dt

import icalendar
from serve_fixtures import Api
from test_serve_followup import BAN, answered_system, example_answers

from regatlas.serve.ical import Event, calendar, escape, fold

pytest_plugins = ("serve_fixtures",)


def test_the_calendar_lists_each_date_and_what_changes_then(api: Api) -> None:
    system_id = answered_system(api, example_answers())
    url = f"/v1/systems/{system_id}/calendar"
    data = api.client.get(url, params={"as_of": "2026-11-01"}, headers=api.headers()).json()
    dates = [entry["date"] for entry in data["dates"]]
    assert dates == sorted(dates) and dates[0] == "2026-12-02" and all(d > "2026-11-01" for d in dates)
    first = {c["finding"]: c for c in data["dates"][0]["changes"]}
    assert (first[BAN]["old"], first[BAN]["new"], first[BAN]["provision"]) == ("no", "unknown", "Art. 5(1)(ba/bb)")
    assert first[BAN]["words"].startswith("from 2 Dec 2026: EU AI Act Art. 5(1)(ba/bb)")
    # From 2 Dec 2026 on, that date is behind: the calendar starts after it.
    later = api.client.get(url, params={"as_of": "2026-12-02"}, headers=api.headers()).json()
    assert [entry["date"] for entry in later["dates"]] == dates[1:]


def test_the_ics_export_reads_back_as_the_same_calendar(api: Api) -> None:
    system_id = answered_system(api, example_answers(), name="Call-centre emotions; agents, team leads")
    params = {"as_of": "2026-11-01"}
    data = api.client.get(f"/v1/systems/{system_id}/calendar", params=params, headers=api.headers()).json()
    response = api.client.get(f"/v1/systems/{system_id}/calendar.ics", params=params, headers=api.headers())
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    raw = response.content
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75 and any(line.startswith(b" ") for line in lines)
    parsed = icalendar.Calendar.from_ical(raw)
    events = list(parsed.walk("VEVENT"))
    assert [e.decoded("DTSTART") for e in events] == [dt.date.fromisoformat(d["date"]) for d in data["dates"]]
    assert all(e.decoded("DTEND") - e.decoded("DTSTART") == dt.timedelta(days=1) for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events) and all("DTSTAMP" in e for e in events)
    assert str(events[0]["SUMMARY"]).startswith("Call-centre emotions; agents, team leads: ")
    assert str(events[0]["DESCRIPTION"]).split("\n") == [c["words"] for c in data["dates"][0]["changes"]]


def test_folding_never_splits_a_character_and_escaping_reads_back() -> None:
    text = "Loi n° 2026-1; «résumé», \\ fin\n" * 12
    event = Event(uid="u@x", day=dt.date(2026, 12, 2), summary=text, description=text)
    written = calendar("ça", [event], dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC))
    for line in written.encode().split(b"\r\n"):
        assert len(line) <= 75
        line.decode()  # each physical line is whole UTF-8
    (parsed,) = icalendar.Calendar.from_ical(written).walk("VEVENT")
    assert str(parsed["SUMMARY"]) == text and str(parsed["DESCRIPTION"]) == text
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    assert fold("x" * 150) == ["x" * 75, " " + "x" * 74, " x"]


def test_the_assessment_at_a_date_and_the_diff_of_two_dates(api: Api) -> None:
    system_id = answered_system(api, example_answers())
    before = api.client.get(
        f"/v1/systems/{system_id}/assessment", params={"as_of": "2026-12-01"}, headers=api.headers()
    )
    assert before.status_code == 200
    finding = {f["id"]: f for f in before.json()["findings"]}[BAN]
    assert (before.json()["as_of"], finding["in_effect"], finding["applies_from"]) == (
        "2026-12-01",
        False,
        "2026-12-02",
    )
    params = {"from": "2026-12-01", "to": "2026-12-02"}
    diff = api.client.get(f"/v1/systems/{system_id}/diff", params=params, headers=api.headers()).json()
    assert (diff["from"]["as_of"], diff["to"]["as_of"]) == ("2026-12-01", "2026-12-02")
    assert {(c["finding"], c["old"], c["new"]) for c in diff["changes"]} >= {(BAN, "no", "unknown")}
    same = api.client.get(
        f"/v1/systems/{system_id}/diff", params={"from": "2026-12-02", "to": "2026-12-02"}, headers=api.headers()
    ).json()
    assert same["changes"] == []


def test_wrong_queries_are_problems_naming_the_field(api: Api) -> None:
    system_id = answered_system(api, example_answers())
    half = api.client.get(f"/v1/systems/{system_id}/diff", params={"from": "2026-12-01"}, headers=api.headers())
    assert half.status_code == 422 and [e["field"] for e in half.json()["errors"]] == ["query.from"]
    mixed = {"from": "2026-12-01", "to_record": 1}
    both = api.client.get(f"/v1/systems/{system_id}/diff", params=mixed, headers=api.headers())
    assert both.status_code == 422 and {e["field"] for e in both.json()["errors"]} == {"query.from", "query.to_record"}
    missing = api.client.get(
        f"/v1/systems/{system_id}/diff", params={"from_record": 1, "to_record": 2}, headers=api.headers()
    )
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "query.from_record"
    bad = api.client.get("/v1/transitions", params={"since": "2026-13-01"}, headers=api.headers())
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.since"
    early = api.client.get(f"/v1/systems/{system_id}/assessment", params={"as_of": "1900-01-01"}, headers=api.headers())
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "query.as_of"
    none = api.client.get("/v1/systems/999/calendar", headers=api.headers())
    assert none.status_code == 404 and none.json()["errors"][0]["field"] == "path.system_id"
    # Created after the follower's look at start, and not assessed since: no status yet.
    unassessed = api.client.get(f"/v1/systems/{system_id}/status", headers=api.headers())
    assert unassessed.status_code == 404 and "no status yet" in unassessed.json()["detail"]
