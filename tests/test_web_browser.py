"""The browser pages in a real Chromium (tests/browser_fixtures.py) against `regatlas serve` run as a process on
a temporary SQLite file: log in with the printed admin token, create a system through the form, see it listed and
filtered, open its page, download its report and the inventory's exports, log out; a viewer sees no edit button
and a forged POST is refused. No request leaves the machine and no console error is logged; axe-core (bundled in
tests/assets, injected by Playwright) finds no serious or critical violation; the pages fit a 390 px phone."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser_fixtures import PHONE, PHONE_WIDTH, Visit, audited_phone, browser_type_launch_args, desktop, watched  # noqa: F401
from serve_fixtures import Server, example_answers, sqlite_server

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / "assets" / "axe.min.js"
IMAGES = ROOT / "docs" / "images"
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from sqlite_server(tmp_path_factory.mktemp("web"))


def token(server: Server, role: str) -> str:
    response = httpx.post(f"{server.url}/v1/tokens", json={"role": role, "name": role}, headers=server.headers())
    assert response.status_code == 201, response.text
    return response.json()["token"]


def log_in(visit: Visit, server: Server, secret: str) -> None:
    visit.page.goto(f"{server.url}/ui/systems")
    assert visit.page.url.endswith("/ui/login")  # no session: the login form
    visit.page.get_by_label("API token").fill(secret)
    visit.page.get_by_role("button", name="Log in").click()
    visit.page.wait_for_url("**/ui/systems")


def serious_violations(visit: Visit) -> list[str]:
    visit.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = visit.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def clean(visit: Visit, expected: tuple[str, ...] = ()) -> None:
    """Nothing left the machine, and the console holds only the errors the test caused on purpose."""
    assert visit.left_machine == []
    assert visit.console_errors == list(expected)


def answered_system(
    server: Server,
    name: str,
    example: str = "workplace-emotion-recognition.yaml",
    owner: str = "hr",
    places: tuple[str, ...] = ("DE",),
) -> int:
    """A system with a bundled example's answers, assessed (a status, a verdict, transitions)."""
    fields = {"name": name, "owner": owner, "places": list(places), "lifecycle": "deployed"}
    made = httpx.post(f"{server.url}/v1/systems", json=fields, headers=server.headers())
    system_id = made.json()["id"]
    body = {"answers": example_answers(example), "justification": "as the example says"}
    headers = server.headers(**{"If-Match": made.headers["etag"]})
    assert httpx.post(f"{server.url}/v1/systems/{system_id}/answers", json=body, headers=headers).status_code == 200
    assert httpx.post(f"{server.url}/v1/reassess", headers=server.headers(), timeout=120).status_code == 200
    return system_id


def test_an_editor_creates_lists_opens_exports_and_logs_out(server: Server, desktop: Visit, tmp_path: Path) -> None:  # noqa: F811
    page = desktop.page
    log_in(desktop, server, server.admin)
    page.get_by_role("link", name="New system").click()
    page.get_by_label("Name").fill("Browser Made")
    page.get_by_label("Owner").fill("compliance")
    page.get_by_label("Lifecycle stage").select_option("testing")
    page.get_by_label("deployer").check()
    page.get_by_label("Places where it is offered or used").fill("FR, XX")
    page.get_by_role("button", name="Add system").click()
    assert page.locator("#places-error").inner_text().count("XX") == 1  # refused beside its field, nothing made
    page.get_by_label("Places where it is offered or used").fill("FR")
    page.get_by_role("button", name="Add system").click()
    page.wait_for_url("**/ui/systems/*")
    assert page.get_by_role("heading", level=1).inner_text() == "Browser Made"
    system_id = int(page.url.rsplit("/", 1)[1])
    stored = httpx.get(f"{server.url}/v1/systems/{system_id}", headers=server.headers()).json()
    assert (stored["owner"], stored["lifecycle"], stored["places"], stored["roles"]) == (
        "compliance", "testing", ["FR"], ["deployer"]
    )  # fmt: skip
    page.get_by_role("link", name="Systems", exact=True).click()
    assert page.get_by_role("link", name="Browser Made").count() == 1
    page.get_by_label("Owner").select_option("compliance")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**owner=compliance**")
    assert page.locator("tbody tr").count() == 1
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Export CSV").click()
    lines = Path(csv_download.value.path()).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and ",Browser Made,compliance," in lines[1]
    with page.expect_download() as json_download:
        page.get_by_role("link", name="Export JSON").click()
    exported = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert [s["name"] for s in exported["items"]] == ["Browser Made"] and exported["filters"] == {"owner": "compliance"}
    page.get_by_role("link", name="Browser Made").click()
    with page.expect_download(timeout=120_000) as report:
        page.get_by_role("link", name="Report (HTML)").click()
    assert report.value.suggested_filename.startswith(f"regatlas-{system_id}-Browser-Made-")
    assert "<h1>regatlas report: Browser Made</h1>" in Path(report.value.path()).read_text(encoding="utf-8")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/ui/login")
    page.goto(f"{server.url}/ui/systems")
    assert page.url.endswith("/ui/login")  # the cookie is gone
    # Chromium logs the refused form's status (422, as the API answers) as a failed load: the one error expected.
    clean(desktop, ("Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)",))


def test_a_viewer_sees_no_edit_button_and_a_forged_post_is_refused(server: Server, desktop: Visit) -> None:  # noqa: F811
    system_id = answered_system(server, "Viewed")
    log_in(desktop, server, token(server, "viewer"))
    page = desktop.page
    page.goto(f"{server.url}/ui/systems/{system_id}")
    assert page.get_by_role("heading", level=1).inner_text() == "Viewed"
    assert page.get_by_role("link", name="Edit system").count() == 0
    assert page.get_by_role("link", name="New system").count() == 0
    # A form another page could post: the browser sends the cookie (same site), but not the CSRF token.
    status = page.evaluate(
        """async (url) => (await fetch(url, {method: 'POST', body: new URLSearchParams({name: 'x', owner: 'y'})}))
        .status""",
        f"{server.url}/ui/systems/new",
    )
    assert status == 403
    # With the page's own CSRF token, the viewer's role is what refuses it.
    own = page.evaluate(
        """async (url) => {
          const csrf = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];
          const body = new URLSearchParams({csrf_token: csrf, name: 'x', owner: 'y'});
          return (await fetch(url, {method: 'POST', body})).status; }""",
        f"{server.url}/ui/systems/new",
    )
    assert own == 403
    names = [s["name"] for s in httpx.get(f"{server.url}/v1/systems", headers=server.headers()).json()["items"]]
    assert "x" not in names
    clean(desktop, ("Failed to load resource: the server responded with a status of 403 (Forbidden)",) * 2)


def test_the_pages_are_accessible_and_fit_a_phone(server: Server, audited_phone: Visit) -> None:  # noqa: F811
    system_id = answered_system(server, "Workplace emotion analytics")
    audited_phone.page.goto(f"{server.url}/ui/login")
    assert serious_violations(audited_phone) == []
    assert audited_phone.scroll_width() <= PHONE_WIDTH
    log_in(audited_phone, server, server.admin)
    for path in ("/ui/systems", f"/ui/systems/{system_id}", "/ui/systems/new"):
        audited_phone.page.goto(server.url + path)
        if path.endswith(str(system_id)):  # the comparison and the calendar arrive by htmx
            audited_phone.page.locator("#comparison figure").first.wait_for(timeout=120_000)
            audited_phone.page.locator("#calendar ul, #calendar p").first.wait_for()
            assert "PROHIBITED" in audited_phone.page.locator("section").first.inner_text()
        assert serious_violations(audited_phone) == [], path
        assert audited_phone.scroll_width() <= PHONE_WIDTH, f"{path} is {audited_phone.scroll_width()} px wide"
    # Keyboard: the first Tab reaches the skip link, which moves focus to the content.
    audited_phone.page.keyboard.press("Tab")
    assert audited_phone.page.evaluate("document.activeElement.textContent") == "Skip to content"
    clean(audited_phone)


def test_screenshots_for_the_readme(tmp_path: Path, desktop: Visit) -> None:  # noqa: F811
    """ui-inventory.png and ui-system.png from a real run of an inventory of four examples: into docs/images with
    REGATLAS_SCREENSHOTS=update (the README's pictures), else into a temporary folder (a test run changes no file
    of the repository)."""
    folder = IMAGES if os.environ.get("REGATLAS_SCREENSHOTS") == "update" else tmp_path / "images"
    own = Server(f"sqlite:///{tmp_path / 'shots.db'}", tmp_path)
    try:
        answered_system(own, "TalentSift CV screening", "cv-screening.yaml", "hr", ("DE", "FR"))
        answered_system(own, "Support chatbot", "customer-service-chatbot.yaml", "customer care", ("EU", "US-CA"))
        answered_system(own, "Credit scoring", "credit-scoring.yaml", "retail lending", ("DE",))
        system_id = answered_system(own, "Call-centre emotion analytics", owner="operations", places=("DE", "IT"))
        log_in(desktop, own, own.admin)
        folder.mkdir(parents=True, exist_ok=True)
        desktop.page.screenshot(path=str(folder / "ui-inventory.png"), full_page=False)
        desktop.page.goto(f"{own.url}/ui/systems/{system_id}")
        desktop.page.locator("#comparison figure").first.wait_for(timeout=120_000)
        desktop.page.screenshot(path=str(folder / "ui-system.png"), full_page=False)
    finally:
        own.stop()
    assert (folder / "ui-system.png").stat().st_size > 10_000
    clean(desktop)
