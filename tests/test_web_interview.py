"""The browser interview's routes in process (TestClient) on a SQLite file: answers go through the API's answer
route (events with the justification "interview", the audit entry, If-Match), refused answers and stale pages change
nothing and say why, "I don't know" moves on without storing anything, Back and "change an earlier answer" ask a
fact again, and a viewer or an auditor can neither see the interview nor post to it.

httpx does not send a Secure cookie to http://testserver from its jar, so the tests send the Cookie header."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from serve_fixtures import Api, cookie

from regatlas.serve.auth import digest
from regatlas.serve.web.session import CSRF_FIELD, csrf_token


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: the pages read the same database code the API tests run on both databases."""
    return f"sqlite:///{tmp_path / 'web.db'}"


def asked(page: str) -> str:
    """The fact the page asks about ("" when nothing is left to ask)."""
    return re.findall(r'id="interview"[^>]*data-fact="([^"]*)"', page)[0]


def hidden(page: str, name: str) -> str:
    return html.unescape(re.findall(rf'name="{name}" value="([^"]*)"', page)[0])


def post(api: Api, system_id: int, page: str, token: str | None = None, **fields: object):
    """Submit the page's form as a browser would: its hidden fields, then the given ones."""
    form = {name: hidden(page, name) for name in ("etag", "fact", "skipped", "trail")}
    form |= {CSRF_FIELD: csrf_token(digest(token or api.admin)), "action": "answer", **fields}
    return api.client.post(
        f"/ui/systems/{system_id}/interview", headers=cookie(token or api.admin), data=form, follow_redirects=False
    )


def events(api: Api, system_id: int) -> list[dict]:
    return api.client.get(f"/v1/systems/{system_id}/answers", headers=api.headers()).json()["items"]


def test_answers_are_recorded_through_the_api_and_the_next_question_follows(api: Api) -> None:
    system_id = api.create_system().json()["id"]
    page = api.client.get(f"/ui/systems/{system_id}/interview", headers=cookie(api.admin)).text
    assert asked(page) == "territory.offered_in" and 'data-jurisdiction="EU"' in page  # the places come first
    done = post(api, system_id, page, value="de, fr")
    assert done.status_code == 303 and done.headers["location"].endswith("/interview?trail=territory.offered_in")
    [event] = events(api, system_id)
    assert (event["fact"], event["new_value"], event["justification"]) == (
        "territory.offered_in",
        ["DE", "FR"],
        "interview",
    )
    audit = api.client.get("/v1/audit", headers=api.headers()).json()["items"]
    assert audit[-1]["action"] == "answers" and audit[-1]["target"] == f"system:{system_id}"
    page = api.client.get(done.headers["location"], headers=cookie(api.admin)).text
    assert asked(page) == "territory.used_in" and "1 facts answered" in page
    # htmx: only the interview's part, its address pushed to the browser's history
    part = api.client.get(done.headers["location"], headers=cookie(api.admin) | {"HX-Request": "true"})
    assert part.text.startswith('<div id="interview"') and "<html" not in part.text
    assert part.headers["HX-Push-Url"] == done.headers["location"]


def test_a_refused_answer_says_what_is_allowed_and_records_nothing(api: Api) -> None:
    system_id = api.create_system().json()["id"]
    page = api.client.get(f"/ui/systems/{system_id}/interview", headers=cookie(api.admin)).text
    bad = post(api, system_id, page, value="DE, Atlantis")
    assert bad.status_code == 422 and "The answer was not recorded" in bad.text and "Atlantis" in bad.text
    assert 'aria-invalid="true"' in bad.text and 'value="DE, Atlantis"' in bad.text  # what was typed stays
    empty = post(api, system_id, page, value="")
    assert empty.status_code == 422 and "or press I don&#39;t know" in empty.text
    assert events(api, system_id) == []


def test_i_dont_know_moves_on_and_back_asks_again(api: Api) -> None:
    system_id = api.create_system().json()["id"]
    page = api.client.get(f"/ui/systems/{system_id}/interview", headers=cookie(api.admin)).text
    skip = post(api, system_id, page, action="unknown")
    assert skip.status_code == 303 and "skipped=territory.offered_in" in skip.headers["location"]
    assert events(api, system_id) == []
    page = api.client.get(skip.headers["location"], headers=cookie(api.admin)).text
    assert asked(page) == "territory.used_in" and "1 not known" in page
    back = html.unescape(re.findall(r'href="([^"]*)">Back<', page)[0])
    again = api.client.get(back, headers=cookie(api.admin)).text
    assert asked(again) == "territory.offered_in" and "not known" not in again
    done = post(api, system_id, again, value="US")
    page = api.client.get(done.headers["location"], headers=cookie(api.admin)).text
    # an earlier answer changed: a new event, and the interview goes on from where the ranking says
    change = html.unescape(re.findall(r'href="([^"]*fact=territory.offered_in)"', page)[0])
    edit = api.client.get(change, headers=cookie(api.admin)).text
    assert asked(edit) == "territory.offered_in" and 'value="US"' in edit
    post(api, system_id, edit, value="US, DE")
    assert [e["new_value"] for e in events(api, system_id)] == [["US"], ["DE", "US"]]
    # "I don't know" to a fact answered before withdraws the answer: it is unknown again, and not asked again
    withdrawn = post(api, system_id, api.client.get(change, headers=cookie(api.admin)).text, action="unknown")
    assert "skipped=territory.offered_in" in withdrawn.headers["location"]
    assert [e["new_value"] for e in events(api, system_id)] == [["US"], ["DE", "US"], None]
    assert (
        "territory.offered_in"
        not in api.client.get(f"/v1/systems/{system_id}/profile", headers=api.headers()).json()["facts"]
    )


def test_a_stale_page_is_refused_with_the_current_state(api: Api) -> None:
    made = api.create_system()
    system_id = made.json()["id"]
    page = api.client.get(f"/ui/systems/{system_id}/interview", headers=cookie(api.admin)).text
    other = {"answers": {"system.is_ai_system": True}, "justification": "someone else"}
    headers = api.headers(**{"If-Match": made.headers["etag"]})
    assert api.client.post(f"/v1/systems/{system_id}/answers", json=other, headers=headers).status_code == 200
    stale = post(api, system_id, page, value="DE")
    assert stale.status_code == 412 and "shown again with the system as it is now" in stale.text
    assert hidden(stale.text, "etag") != hidden(page, "etag")
    assert [e["fact"] for e in events(api, system_id)] == ["system.is_ai_system"]


def test_the_state_names_only_facts_of_the_vocabulary(api: Api) -> None:
    system_id = api.create_system().json()["id"]
    bad = api.client.get(f"/ui/systems/{system_id}/interview?skipped=system.nonsense", headers=cookie(api.admin))
    assert bad.status_code == 422 and "query.skipped" in bad.text
    missing = api.client.get("/ui/systems/999/interview", headers=cookie(api.admin))
    assert missing.status_code == 404


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_a_reader_can_neither_see_nor_post_the_interview(api: Api, role: str) -> None:
    system_id = api.create_system().json()["id"]
    token = api.token(role)
    assert api.client.get(f"/ui/systems/{system_id}/interview", headers=cookie(token)).status_code == 403
    page = api.client.get(f"/ui/systems/{system_id}/interview", headers=cookie(api.admin)).text
    assert post(api, system_id, page, token=token, value="DE").status_code == 403
    assert events(api, system_id) == []
