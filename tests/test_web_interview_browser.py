"""The browser interview in a real Chromium (tests/browser_fixtures.py) against `regatlas serve` run as a process on a
temporary SQLite file: log in, create a system through the form, open its interview and answer it to the end as a
bundled example file does (a fact the file is silent on: "I don't know"; one example with deliberate "I don't
know"s), then check the verdict and the findings the page shows against `regatlas assess -f json` for the profile
made of the answers given, and that no more questions were asked than the example file has facts. No request leaves
the machine, no console error; axe-core finds no serious violation on the interview page, which fits a 390 px phone.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser_fixtures import PHONE, PHONE_WIDTH, Visit, audited_phone, browser_type_launch_args, desktop, watched  # noqa: F401
from playwright.sync_api import Page
from serve_fixtures import Server, sqlite_server
from test_web_browser import clean, log_in, serious_violations

from regatlas.facts.profile import encode_value, load_profile
from regatlas.rules.pack import Pack

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
STEP_TIMEOUT = 60_000  # ms for one answer to come back: a look-ahead over an almost empty profile takes < 1 s
# (example, how many of the facts it answers are answered "I don't know" on purpose: every n-th, 0 for none)
EXAMPLES = [("customer-service-chatbot.yaml", 0), ("text-to-video-global.yaml", 0), ("frontier-developer.yaml", 9)]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from sqlite_server(tmp_path_factory.mktemp("interview"))


def new_system(page: Page, server: Server, name: str) -> int:
    """Created through the form, as a person would; its id from the page it leads to."""
    page.goto(f"{server.url}/ui/systems/new")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Owner").fill("compliance")
    page.get_by_role("button", name="Add system").click()
    page.wait_for_url("**/ui/systems/*")
    return int(page.url.rsplit("/", 1)[1])


def asked(page: Page) -> str:
    return page.locator("#interview").get_attribute("data-fact") or ""


def give(page: Page, fact_type: str, value: object) -> None:
    """Fill the question's controls with the value and press Answer."""
    encoded = encode_value(value)
    if fact_type in ("bool", "enum"):
        choice = ("true" if encoded else "false") if fact_type == "bool" else str(encoded)
        page.locator(f'#interview input[name="value"][value="{choice}"]').check()
    elif fact_type == "set":
        for box in page.locator('#interview input[name="value"]').all():
            box.set_checked(box.get_attribute("value") in encoded)  # type: ignore[operator]
    elif fact_type == "jurisdictions":
        page.locator("#answer").fill(", ".join(encoded))  # type: ignore[arg-type]
    elif fact_type == "number":
        page.locator("#answer").fill(repr(encoded))
    else:
        page.locator("#answer").fill(str(encoded))
    page.get_by_role("button", name="Answer", exact=True).click()


def interview_to_the_end(page: Page, pack: Pack, example: str, every: int, shot: Path | None) -> tuple[list, dict]:
    """Answer every question as the example does; the facts asked, and the answers given (fact -> JSON value)."""
    facts = load_profile(ROOT / "examples" / example, pack.vocabulary).facts
    asked_facts: list[str] = []
    answers: dict[str, object] = {}
    while fact_id := asked(page):
        assert fact_id not in asked_facts, f"{fact_id} asked twice"
        asked_facts.append(fact_id)
        known = fact_id in facts and not (every and len(asked_facts) % every == 0)
        if known:
            give(page, pack.vocabulary[fact_id].type, facts[fact_id])
            answers[fact_id] = encode_value(facts[fact_id])
        else:
            page.get_by_role("button", name="I don't know").click()
        page.locator(f'#interview[data-step="{len(asked_facts)}"]').wait_for(timeout=STEP_TIMEOUT)
        if shot is not None and len(asked_facts) == 12:
            page.screenshot(path=str(shot), full_page=False)
    return asked_facts, answers


def cli_assessment(answers: dict, name: str, folder: Path) -> dict:
    profile = folder / "answers.json"
    profile.write_text(json.dumps({"name": name, **answers}))
    command = [sys.executable, "-m", "regatlas", "assess", str(profile), "-f", "json"]
    done = subprocess.run([*command, "--as-of", dt.date.today().isoformat()], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def shown(page: Page) -> tuple[dict[str, str], dict[str, str]]:
    """The page's verdict per jurisdiction and the outcome of each finding it lists."""
    verdicts = page.eval_on_selector_all(
        "#interview article.place", "els => els.map(e => [e.dataset.jurisdiction, e.dataset.verdict])"
    )
    findings = page.eval_on_selector_all(
        "#interview li[data-finding]", "els => els.map(e => [e.dataset.finding, e.dataset.outcome])"
    )
    return dict(verdicts), dict(findings)


def expected(result: dict) -> tuple[dict[str, str], dict[str, str]]:
    """The same from the CLI's JSON: the findings the assessment lists by jurisdiction (scope, bans, classes,
    duties; not definitions or moot exceptions), those that do not apply left out as the report leaves them."""
    verdicts = {j["jurisdiction"]: j["verdict"] for j in result["verdict"]["jurisdictions"]}
    kinds = ("scope", "prohibition", "classification", "obligation")
    findings = {
        f["id"]: f["outcome"]
        for f in result["findings"]
        if f["kind"] in kinds and not f["moot"] and f["outcome"] != "no"
    }
    return verdicts, findings


@pytest.mark.parametrize(("example", "every"), EXAMPLES)
def test_the_interview_answered_as_an_example_shows_what_the_cli_says(
    server: Server,
    desktop: Visit,  # noqa: F811
    pack: Pack,
    tmp_path: Path,
    example: str,
    every: int,
) -> None:
    page = desktop.page
    log_in(desktop, server, server.admin)
    name = example.removesuffix(".yaml")
    system_id = new_system(page, server, name)
    page.get_by_role("link", name="Answer the questions").click()
    page.wait_for_url(f"**/ui/systems/{system_id}/interview")
    shot = IMAGES / "ui-interview.png" if example == EXAMPLES[0][0] else None
    asked_facts, answers = interview_to_the_end(page, pack, example, every, shot)
    file_facts = len(load_profile(ROOT / "examples" / example, pack.vocabulary).facts)
    print(f"\n{example}: {len(asked_facts)} questions asked, {len(answers)} answered, {file_facts} facts in the file")
    assert len(asked_facts) <= file_facts
    assert page.get_by_role("heading", name="Nothing left to ask").count() == 1
    stored = httpx.get(f"{server.url}/v1/systems/{system_id}/profile", headers=server.headers()).json()["facts"]
    assert stored == answers
    assert shown(page) == expected(cli_assessment(answers, name, tmp_path))
    events = httpx.get(f"{server.url}/v1/systems/{system_id}/answers?limit=500", headers=server.headers()).json()
    assert {e["justification"] for e in events["items"]} == {"interview"} and events["total"] == len(answers)
    clean(desktop)


def test_the_interview_page_is_accessible_and_fits_a_phone(server: Server, audited_phone: Visit) -> None:  # noqa: F811
    page = audited_phone.page
    log_in(audited_phone, server, server.admin)
    system_id = new_system(page, server, "Phone interview")
    page.goto(f"{server.url}/ui/systems/{system_id}/interview")
    for answer in ("DE, FR", "DE", "DE", "DE"):  # the four lists of places typed, the verdict beside them
        assert serious_violations(audited_phone) == []
        assert audited_phone.scroll_width() <= PHONE_WIDTH, f"{audited_phone.scroll_width()} px wide"
        step = page.locator("#interview").get_attribute("data-step")
        page.locator("#answer").fill(answer)
        page.locator("#answer").press("Enter")  # the keyboard alone answers
        page.locator(f'#interview:not([data-step="{step}"])').wait_for(timeout=STEP_TIMEOUT)
    page.get_by_text("Why am I asked?").click()
    assert page.locator("details.why[open] li").count() > 0  # the findings the question would settle
    assert serious_violations(audited_phone) == []
    assert audited_phone.scroll_width() <= PHONE_WIDTH
    clean(audited_phone)
