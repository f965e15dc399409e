"""Assessments that follow the law, on SQLite and PostgreSQL: a date that arrives, a pack that changes and new
answers each give their transitions per finding; two runs at once re-assess once; the service runs at start."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from serve_fixtures import Api
from serve_fixtures import example_answers as answers_of
from sqlalchemy import func, select

from regatlas.rules.loader import load_pack
from regatlas.rules.pack import Pack
from regatlas.serve.app import create_app
from regatlas.serve.followup import reassess
from regatlas.serve.models import AuditEntry, SystemStatus, Transition
from regatlas.serve.scheduler import seconds_to_wake

pytest_plugins = ("serve_fixtures",)
ROOT = Path(__file__).resolve().parents[1]
BAN = "eu_ai_act:art5_1_ba_bb_provider"  # Art. 5(1)(ba/bb), applicable from 2 Dec 2026 (Regulation 2026/1744)
# Left unanswered, these leave open whether the emotion-recognition system generates intimate material.
OPEN = ("system.generates_intimate_imagery", "system.generates_csam", "system.harmful_sexual_output_foreseeable")


def example_answers(leave_open: tuple[str, ...] = OPEN) -> dict[str, Any]:
    """examples/workplace-emotion-recognition.yaml as answers (fact id -> value), some left unanswered."""
    return answers_of("workplace-emotion-recognition.yaml", leave_open)


def answered_system(api: Api, answers: dict[str, Any], name: str = "call-centre emotions") -> int:
    # The app's own follower looks once at start: let that look end first, so the runs below are the test's own.
    assert api.client.app.state.follower.looked.wait(120)
    created = api.create_system(name=name)
    system_id = created.json()["id"]
    headers = api.headers(**{"If-Match": created.headers["ETag"]})
    body = {"answers": answers, "justification": "from the vendor's documentation"}
    done = api.client.post(f"/v1/systems/{system_id}/answers", json=body, headers=headers)
    assert done.status_code == 200, done.text
    return system_id


def pack() -> Pack:  # the app's own pack (the bundled one, through the cache)
    return load_pack(cache=True)


def test_the_day_art_5_1_ba_applies_gives_its_transition(api: Api) -> None:
    open_id = answered_system(api, example_answers())
    closed_id = answered_system(api, example_answers(leave_open=()), name="fully answered")
    first = reassess(api.database, pack(), dt.date(2026, 11, 30), "test").json()
    assert [s["causes"] for s in first["systems"]] == [["first"], ["first"]]
    assert first["transitions"] == 0
    status = api.client.get(f"/v1/systems/{open_id}/status", headers=api.headers()).json()
    assert status["findings"][BAN] == "no"  # not yet in effect on 30 Nov
    assert status["next_change"] == "2026-12-02"

    run = reassess(api.database, pack(), dt.date(2026, 12, 3), "test").json()
    by_system = {s["system_id"]: s for s in run["systems"]}
    ban = [t for t in by_system[open_id]["transitions"] if t["finding"] == BAN]
    assert len(ban) == 1 and ban[0]["cause"] == "date" and ban[0]["as_of"] == "2026-12-02"
    assert (ban[0]["old_value"], ban[0]["new_value"], ban[0]["provision"]) == ("no", "unknown", "Art. 5(1)(ba/bb)")
    assert ban[0]["words"].startswith("since 2 Dec 2026: EU AI Act Art. 5(1)(ba/bb) (prohibition, provider) may now")
    # Fully answered, the system does not generate such material: the ban does not apply before or after.
    assert all(t["finding"] != BAN for t in by_system.get(closed_id, {"transitions": []})["transitions"])
    status = api.client.get(f"/v1/systems/{open_id}/status", headers=api.headers()).json()
    assert status["as_of"] == "2026-12-03" and status["findings"][BAN] == "unknown"

    listed = api.client.get(f"/v1/systems/{open_id}/transitions", headers=api.headers()).json()
    assert listed["total"] == len(by_system[open_id]["transitions"]) and BAN in {t["finding"] for t in listed["items"]}
    assert [t["id"] for t in listed["items"]] == sorted((t["id"] for t in listed["items"]), reverse=True)
    later = api.client.get("/v1/transitions", params={"since": "2026-12-03"}, headers=api.headers()).json()
    assert later["total"] == 0
    everything = api.client.get("/v1/transitions", params={"since": "2026-12-02"}, headers=api.headers()).json()
    assert everything["total"] == run["transitions"]
    actions = api.client.get("/v1/audit", params={"limit": 500}, headers=api.headers()).json()["items"]
    assert [e["target"] for e in actions if e["action"] == "reassessment"] == [
        f"system:{s['system_id']}" for s in run["systems"]
    ]


def test_two_runs_at_once_reassess_once(api: Api) -> None:
    answered_system(api, example_answers())
    reassess(api.database, pack(), dt.date(2026, 11, 30), "test")
    loaded = pack()
    results: list[dict[str, Any]] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        results.append(reassess(api.database, loaded, dt.date(2026, 12, 2), "worker").json())

    workers = [threading.Thread(target=run) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(r["reassessed"] for r in results) == [0, 1]
    with api.database.read() as session:
        stored = session.execute(select(func.count()).select_from(Transition)).scalar_one()
        audited = session.execute(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "reassessment")
        ).scalar_one()
    assert stored == sum(r["transitions"] for r in results) > 0 and audited == 1


def _pack_with_ban_from(tmp_path: Path, day: str) -> Path:
    """A copy of the bundled pack in which Art. 5(1)(ba/bb) applies from another date (a new pack revision)."""
    copy = tmp_path / "packs"
    shutil.copytree(ROOT / "packs", copy)
    rules = copy / "eu/ai_act/rules/prohibitions.yaml"
    text = rules.read_text()
    marker = "  - id: art5_1_ba_bb_provider\n"
    head, tail = text.split(marker)
    edited = tail.replace("applies_from: 2026-12-02", f"applies_from: {day}", 1)
    assert edited != tail
    rules.write_text(head + marker + edited)
    return copy


def test_a_new_pack_revision_gives_transitions_put_down_to_the_pack(api: Api, tmp_path: Path) -> None:
    system_id = answered_system(api, example_answers())
    reassess(api.database, pack(), dt.date(2026, 11, 20), "test")
    copy = _pack_with_ban_from(tmp_path, "2026-11-15")
    changed = load_pack(copy)
    assert changed.revision != pack().revision
    run = reassess(api.database, changed, dt.date(2026, 11, 20), "test").json()
    (system,) = run["systems"]
    assert system["causes"] == ["pack"]
    (transition,) = [t for t in system["transitions"] if t["finding"] == BAN]
    assert (transition["old_revision"], transition["new_revision"]) == (pack().revision, changed.revision)
    assert (transition["old_value"], transition["new_value"]) == ("no", "unknown")
    assert transition["words"].startswith(f"with pack revision {changed.revision[:8]} (was {pack().revision[:8]})")
    with api.database.read() as session:
        assert session.get(SystemStatus, system_id).pack_revision == changed.revision

    # The same date assessed and stored under each revision: the diff of the two records shows the change.
    old = api.client.post(f"/v1/systems/{system_id}/assessments", json={"as_of": "2026-11-20"}, headers=api.headers())
    with TestClient(create_app(api.database, copy)) as client:
        new = client.post(f"/v1/systems/{system_id}/assessments", json={"as_of": "2026-11-20"}, headers=api.headers())
    assert old.status_code == new.status_code == 201 and new.json()["revision"] == changed.revision
    params = {"from_record": old.json()["id"], "to_record": new.json()["id"]}
    diff = api.client.get(f"/v1/systems/{system_id}/diff", params=params, headers=api.headers()).json()
    assert (diff["from"]["pack_revision"], diff["to"]["pack_revision"]) == (pack().revision, changed.revision)
    assert [(c["finding"], c["old"], c["new"]) for c in diff["changes"] if c["finding"] == BAN] == [
        (BAN, "no", "unknown")
    ]


def test_new_answers_stored_with_an_assessment_give_transitions_put_down_to_the_answers(api: Api) -> None:
    system_id = answered_system(api, example_answers())
    api.client.post(f"/v1/systems/{system_id}/assessments", json={}, headers=api.headers())
    system = api.client.get(f"/v1/systems/{system_id}", headers=api.headers())
    body = {"answers": {"system.infers_emotions": False}, "justification": "the emotion module was removed"}
    headers = api.headers(**{"If-Match": system.headers["ETag"]})
    assert api.client.post(f"/v1/systems/{system_id}/answers", json=body, headers=headers).status_code == 200
    stored = api.client.post(f"/v1/systems/{system_id}/assessments", json={}, headers=api.headers()).json()
    listed = api.client.get(f"/v1/systems/{system_id}/transitions", headers=api.headers()).json()["items"]
    (ban,) = [t for t in listed if t["finding"] == "eu_ai_act:art5_1_f_emotion_recognition"]
    assert (ban["cause"], ban["assessment_id"], ban["old_value"], ban["new_value"]) == (
        "answers",
        stored["id"],
        "yes",
        "no",
    )
    assert ban["words"].endswith("Art. 5(1)(f) (prohibition, provider, deployer) no longer applies")
    audit = api.client.get("/v1/audit", params={"limit": 500}, headers=api.headers()).json()["items"]
    assert audit[-1]["action"] == "assessment" and audit[-1]["data"]["transitions"] == len(listed)


def test_the_service_reassesses_at_start(api: Api) -> None:
    system_id = answered_system(api, example_answers())
    with TestClient(create_app(api.database)) as client:
        assert client.app.state.follower.looked.wait(120)
        status = client.get(f"/v1/systems/{system_id}/status", headers=api.headers())
    assert status.status_code == 200 and status.json()["as_of"] == dt.date.today().isoformat()
    assert not client.app.state.follower.alive  # stopped with the app


def test_the_follower_wakes_hourly_and_just_after_midnight() -> None:
    zone = dt.timezone(dt.timedelta(hours=1))
    assert seconds_to_wake(dt.datetime(2026, 12, 1, 10, 0, tzinfo=zone)) == 3600
    assert seconds_to_wake(dt.datetime(2026, 12, 1, 23, 59, 30, tzinfo=zone)) == 31
