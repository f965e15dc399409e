"""The audit log: every write appends a chained entry, the database refuses UPDATE and DELETE, a tampered
entry is named by `regatlas audit verify`, and concurrent appenders leave the chain whole (both databases)."""

from __future__ import annotations

import itertools
import subprocess
import sys
import threading

import pytest
from serve_fixtures import Api
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from regatlas.serve import audit
from regatlas.serve.db import Database

pytest_plugins = ("serve_fixtures",)


def _actions(api: Api) -> list[str]:
    entries = api.client.get("/v1/audit", params={"limit": 500}, headers=api.headers()).json()["items"]
    return [e["action"] for e in entries]


def test_every_write_appends_a_chained_entry(api: Api) -> None:
    created = api.create_system()
    sid = created.json()["id"]
    body = {"answers": {"system.is_ai_system": True}, "justification": "a model trained on data"}
    headers = api.headers(**{"If-Match": created.headers["ETag"]})
    answered = api.client.post(f"/v1/systems/{sid}/answers", json=body, headers=headers)
    api.client.post(f"/v1/systems/{sid}/assessments", json={}, headers=api.headers())
    api.client.patch(
        f"/v1/systems/{sid}", json={"owner": "x"}, headers=api.headers(**{"If-Match": answered.headers["ETag"]})
    )
    api.token("viewer")
    assert _actions(api) == ["token.issue", "system.create", "answers", "assessment", "system.update", "token.issue"]
    entries = api.client.get("/v1/audit", headers=api.headers()).json()["items"]
    assert entries[0]["prev_hash"] == audit.GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(entries))
    assert entries[2]["data"]["events"][0]["justification"] == "a model trained on data"
    assert api.client.get("/v1/audit/verify", headers=api.headers()).json() == {
        "ok": True,
        "entries": 6,
        "broken_seq": None,
        "reason": "",
    }


def _execute(database: Database, statement: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(text(statement))


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET actor = 'someone else' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 1"],
)
def test_the_database_refuses_to_change_the_log(api: Api, statement: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        _execute(api.database, statement)
    assert audit.verify(api.database).ok


def _drop_guard(database: Database) -> None:
    """What only someone with the database's owner rights can do: switch the triggers off."""
    if database.is_sqlite:
        _execute(database, "DROP TRIGGER audit_log_no_update")
        _execute(database, "DROP TRIGGER audit_log_no_delete")
    else:
        _execute(database, "ALTER TABLE audit_log DISABLE TRIGGER USER")


def _verify_cli(database: Database) -> subprocess.CompletedProcess[str]:
    url = database.engine.url.render_as_string(hide_password=False)
    command = [sys.executable, "-m", "regatlas", "audit", "verify", "--db", url]
    return subprocess.run(command, capture_output=True, text=True)


def test_verify_names_the_first_changed_or_missing_entry(api: Api) -> None:
    for name in ("a", "b", "c"):
        api.create_system(name=name)
    done = _verify_cli(api.database)
    assert done.returncode == 0 and "intact: 4 entries" in done.stdout
    _drop_guard(api.database)
    _execute(api.database, "UPDATE audit_log SET data = replace(data, '\"b\"', '\"B\"') WHERE seq = 3")
    done = _verify_cli(api.database)
    assert done.returncode == 6 and "broken at entry 3" in done.stdout and "changed" in done.stdout
    _execute(api.database, "DELETE FROM audit_log WHERE seq >= 2 AND seq <= 3")
    verdict = audit.verify(api.database)
    assert (verdict.broken_seq, verdict.entries) == (4, 1) and "missing" in verdict.reason


def test_eight_concurrent_appenders_leave_the_chain_whole(database: Database) -> None:
    appenders, each = 8, 15
    errors: list[BaseException] = []
    start = threading.Barrier(appenders)

    def append_many(index: int) -> None:
        start.wait()
        try:
            for n in range(each):
                with database.write() as session:
                    audit.append(session, f"writer {index}", "test", f"n:{n}", {"writer": index, "n": n})
        except BaseException as exc:  # reported below: a thread's exception would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=append_many, args=(i,)) for i in range(appenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    verdict = audit.verify(database)
    assert verdict.ok and verdict.entries == appenders * each
