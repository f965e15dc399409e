"""The browser pages' rules, in process (TestClient) on a SQLite file: every page needs the session cookie (the
routes are enumerated, so a new page cannot slip through), every POST the session's CSRF token, a viewer or an
auditor can change nothing, and the cookie is what a session cookie must be.

httpx does not send a Secure cookie to http://testserver from its jar, so the tests send the Cookie header."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from serve_fixtures import Api, cookie

from regatlas.serve.auth import SESSION_COOKIE, digest
from regatlas.serve.web.session import CSRF_FIELD, CSRF_HEADER, csrf_token

PUBLIC_PAGES = {"/", "/ui/login", "/ui/static/{name}"}


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: the pages read the same database code the API tests run on both databases."""
    return f"sqlite:///{tmp_path / 'web.db'}"


def csrf(token: str) -> str:
    return csrf_token(digest(token))


def ui_routes(api: Api) -> list[tuple[str, str]]:
    """Every (method, path) the app serves under /ui or at /, with path parameters filled in."""
    found = []
    for route in api.client.app.state.api_routes:  # every route of every router the app includes
        path, methods = getattr(route, "path", ""), getattr(route, "methods", None) or set()
        if path == "/" or path.startswith("/ui"):
            for method in sorted(methods - {"HEAD"}):
                found.append((method, route.path))
    assert len(found) >= 12, found  # the pages are there (a broken import would leave none to check)
    return found


def filled(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_page_without_a_live_session_goes_to_the_login_form(api: Api) -> None:
    api.create_system()
    revoked = api.token("editor")
    token_id = api.client.get("/v1/tokens", headers=api.headers()).json()["items"][-1]["id"]
    assert api.client.delete(f"/v1/tokens/{token_id}", headers=api.headers()).status_code == 200
    for method, path in ui_routes(api):
        if path in PUBLIC_PAGES:
            continue
        for headers in ({}, cookie("rga_not-a-token-at-all-000000"), cookie(revoked)):
            response = api.client.request(method, filled(path), headers=headers, follow_redirects=False)
            assert response.status_code == 303, (method, path, headers, response.status_code)
            assert response.headers["location"] == "/ui/login"


def test_every_post_needs_the_sessions_csrf_token_even_with_the_cookie(api: Api) -> None:
    api.create_system()
    other = api.token("admin")
    posts = [path for method, path in ui_routes(api) if method == "POST" and path != "/ui/login"]
    assert "/ui/logout" in posts and "/ui/systems/new" in posts
    for path in posts:
        for extra in ({}, {CSRF_HEADER: "0" * 64}, {CSRF_HEADER: csrf(other)}):  # none, forged, another session's
            response = api.client.post(
                filled(path), headers=cookie(api.admin) | extra, data={"name": "Forged", "owner": "x"}
            )
            assert response.status_code == 403, (path, extra, response.status_code)
            assert "CSRF" in response.text and response.headers["content-type"].startswith("text/html")
    # the forged form created nothing
    names = [s["name"] for s in api.client.get("/v1/systems", headers=api.headers()).json()["items"]]
    assert names == ["TalentSift"]


def test_login_sets_a_strict_cookie_and_logout_clears_it(api: Api) -> None:
    refused = api.client.post("/ui/login", data={"token": "rga_wrong"}, follow_redirects=False)
    assert refused.status_code == 401 and "not valid" in refused.text and "set-cookie" not in refused.headers
    done = api.client.post("/ui/login", data={"token": api.admin}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/ui/systems"
    attributes = [part.strip().lower() for part in done.headers["set-cookie"].split(";")]
    assert attributes[0] == f"{SESSION_COOKIE}={api.admin}".lower()
    assert {"secure", "httponly", "samesite=strict", "path=/ui"} <= set(attributes)
    page = api.client.get("/ui/systems", headers=cookie(api.admin))
    assert page.status_code == 200 and "first admin (admin)" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    out = api.client.post(
        "/ui/logout", headers=cookie(api.admin), data={CSRF_FIELD: csrf(api.admin)}, follow_redirects=False
    )
    assert out.status_code == 303 and out.headers["location"] == "/ui/login"
    cleared = [part.strip().lower() for part in out.headers["set-cookie"].split(";")]
    assert cleared[0] in (f'{SESSION_COOKIE}=""', f"{SESSION_COOKIE}=") and "max-age=0" in cleared


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_a_reader_sees_no_edit_button_and_cannot_post(api: Api, role: str) -> None:
    system_id = api.create_system().json()["id"]
    token = api.token(role)
    page = api.client.get(f"/ui/systems/{system_id}", headers=cookie(token))
    assert page.status_code == 200 and "TalentSift" in page.text
    assert "Edit system" not in page.text and "/edit" not in page.text and "/ui/systems/new" not in page.text
    listing = api.client.get("/ui/systems", headers=cookie(token))
    assert "New system" not in listing.text
    for path in ("/ui/systems/new", f"/ui/systems/{system_id}/edit"):
        assert api.client.get(path, headers=cookie(token)).status_code == 403
        posted = api.client.post(
            path, headers=cookie(token), data={CSRF_FIELD: csrf(token), "name": "Changed", "owner": "x"}
        )
        assert posted.status_code == 403, path
    assert api.client.get(f"/v1/systems/{system_id}", headers=api.headers()).json()["name"] == "TalentSift"
    editor = api.token("editor")
    assert "Edit system" in api.client.get(f"/ui/systems/{system_id}", headers=cookie(editor)).text


def test_the_form_creates_and_edits_through_the_api_with_its_checks_and_audit(api: Api) -> None:
    editor = api.token("editor")
    form = {CSRF_FIELD: csrf(editor), "name": "Emo", "owner": "hr", "lifecycle": "deployed", "roles": ["deployer"]}
    bad = api.client.post("/ui/systems/new", headers=cookie(editor), data=form | {"places": "DE, XX"})
    assert bad.status_code == 422
    assert re.search(r'id="places-error">[^<]*XX', bad.text) and 'aria-invalid="true"' in bad.text
    made = api.client.post(
        "/ui/systems/new", headers=cookie(editor), data=form | {"places": "de fr"}, follow_redirects=False
    )
    assert made.status_code == 303
    system_id = int(made.headers["location"].rsplit("/", 1)[1])
    stored = api.client.get(f"/v1/systems/{system_id}", headers=api.headers())
    assert stored.json()["places"] == ["DE", "FR"] and stored.json()["roles"] == ["deployer"]
    audit = api.client.get("/v1/audit", headers=api.headers()).json()["items"]
    assert audit[-1]["action"] == "system.create" and audit[-1]["actor"].endswith(":editor")
    stale = api.client.post(
        f"/ui/systems/{system_id}/edit", headers=cookie(editor), data=form | {"etag": '"1.0"', "name": "Emo 2"}
    )
    assert stale.status_code == 412 and stored.headers["etag"].replace('"', "&#34;") in stale.text
    changed = api.client.post(
        f"/ui/systems/{system_id}/edit",
        headers=cookie(editor),
        data=form | {"etag": stored.headers["etag"], "name": "Emo 2", "places": "DE"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    assert api.client.get(f"/v1/systems/{system_id}", headers=api.headers()).json()["name"] == "Emo 2"


def test_the_inventory_exports_what_the_list_shows(api: Api) -> None:
    api.create_system(name="=HYPERLINK(1)", places=["DE"])
    api.create_system(name="Other", owner="sales", places=["US-CA"])
    token = api.token("viewer")
    rows = list(csv.DictReader(io.StringIO(api.client.get("/ui/systems.csv?owner=hr", headers=cookie(token)).text)))
    assert [r["name"] for r in rows] == ["'=HYPERLINK(1)"]  # a formula made inert
    assert rows[0]["places"] == "DE" and rows[0]["open_findings"] == ""  # not assessed yet: unknown, not 0
    data = json.loads(api.client.get("/ui/systems.json?place=US-CA", headers=cookie(token)).text)
    assert [s["name"] for s in data["items"]] == ["Other"] and data["filters"] == {"place": "US-CA"}
    assert data["items"][0]["changes_within_90_days"] is None
    # an unassessed system is neither with nor without open questions
    assert json.loads(api.client.get("/ui/systems.json?open_questions=no", headers=cookie(token)).text)["total"] == 0
    refused = api.client.get("/ui/systems?place=XX", headers=cookie(token))
    assert refused.status_code == 422 and "XX" in refused.text and "f-place" in refused.text  # the form, again


def test_the_status_filters_read_each_systems_status(api: Api) -> None:
    from serve_fixtures import example_answers

    made = api.create_system(name="Emo", places=["DE"])
    system_id = made.json()["id"]
    answers = example_answers("workplace-emotion-recognition.yaml", leave_open=("deployment.minors_among_users",))
    headers = api.headers(**{"If-Match": made.headers["etag"]})
    body = {"answers": answers, "justification": "as in the example"}
    assert api.client.post(f"/v1/systems/{system_id}/answers", json=body, headers=headers).status_code == 200
    assert api.client.post("/v1/reassess", headers=api.headers()).status_code == 200
    api.create_system(name="Unassessed later")  # made after the run: no status
    status = api.client.get(f"/v1/systems/{system_id}/status", headers=api.headers()).json()
    unknown = sum(1 for value in status["findings"].values() if value == "unknown")
    token = api.token("viewer")
    listed = json.loads(api.client.get("/ui/systems.json", headers=cookie(token)).text)["items"]
    assert listed[0]["open_findings"] == unknown and listed[1]["open_findings"] is None
    with_open = json.loads(api.client.get("/ui/systems.json?open_questions=yes", headers=cookie(token)).text)
    assert [s["name"] for s in with_open["items"]] == (["Emo"] if unknown else [])
    assert "prohibited" in listed[0]["verdicts"]
    soon = json.loads(api.client.get("/ui/systems.json?changes_soon=yes", headers=cookie(token)).text)["items"]
    import datetime as dt

    within = (
        status["next_change"] is not None
        and status["next_change"] <= (dt.date.today() + dt.timedelta(days=90)).isoformat()
    )
    assert [s["name"] for s in soon] == (["Emo"] if within else [])


def test_static_files_are_only_those_shipped_and_missing_pages_are_pages(api: Api) -> None:
    assert api.client.get("/", follow_redirects=False).headers["location"] == "/ui/systems"
    script = api.client.get("/ui/static/htmx.min.js")  # public: the login page needs it
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    for name in ("nope.js", "..%2F__init__.py", "%2E%2E%2Fpages.py"):
        assert api.client.get(f"/ui/static/{name}").status_code == 404, name
    missing = api.client.get("/ui/systems/999", headers=cookie(api.admin))
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "path.system_id" in missing.text


def test_the_system_page_says_who_answered_what_and_why(api: Api) -> None:
    made = api.create_system(name="Emo", places=["DE"])
    system_id = made.json()["id"]
    editor = api.token("editor")
    body = {"answers": {"system.is_ai_system": True}, "justification": "it learns from data"}
    headers = {"Authorization": f"Bearer {editor}", "If-Match": made.headers["etag"]}
    assert api.client.post(f"/v1/systems/{system_id}/answers", json=body, headers=headers).status_code == 200
    page = api.client.get(f"/ui/systems/{system_id}", headers=cookie(editor)).text
    row = re.search(r"<tr><td><code>system\.is_ai_system</code></td>(.*?)</tr>", page)
    assert row and "<td>true</td><td>editor</td>" in row.group(1) and "it learns from data" in row.group(1)
    assert page.index('id="verdict-h"') < page.index('id="profile-h"') < page.index('id="assessment-h"')
    assert f'href="/ui/systems/{system_id}/interview"' in page


def test_the_report_downloads_as_pdf(api: Api) -> None:
    system_id = api.create_system(name="Printed", places=["DE"]).json()["id"]
    response = api.client.get(f"/ui/systems/{system_id}/report.pdf", headers=cookie(api.admin))
    if response.status_code == 503:
        pytest.skip("WeasyPrint cannot run on this machine (the API says so with a 503)")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f'filename="regatlas-{system_id}-Printed-' in response.headers["content-disposition"]


def test_a_part_of_a_page_that_cannot_load_says_why_in_its_place(api: Api) -> None:
    headers = cookie(api.admin) | {"HX-Request": "true"}
    part = api.client.get("/ui/systems/999/comparison", headers=headers)
    assert part.status_code == 404 and "<html" not in part.text and 'role="alert"' in part.text
    assert "path.system_id" in part.text
