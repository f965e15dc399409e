"""The HTML report in a real browser (system Chromium, tests/browser_fixtures.py): on a 390 px wide phone screen it
does not scroll sideways, opens with the verdict, asks nothing of the network and logs no error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser_fixtures import PHONE_WIDTH, Visit, browser_type_launch_args, desktop, phone  # noqa: F401
from conftest import EXAMPLES

from regatlas.compare.fragmentation import compare
from regatlas.compare.landscape import landscape
from regatlas.engine.assess import assess
from regatlas.facts.profile import load_profile
from regatlas.report.html import render_html
from regatlas.report.verdict import Verdict, verdict
from regatlas.report.verdict_text import label

AS_OF = dt.date(2026, 12, 2)
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def reports(pack, tmp_path_factory) -> dict[str, tuple[Path, Verdict]]:
    """Each example's report as a file, with the verdict it was made from."""
    folder = tmp_path_factory.mktemp("reports")
    world = landscape(pack, AS_OF)
    out = {}
    for path in EXAMPLE_FILES:
        a = assess(pack, load_profile(path, pack.vocabulary), AS_OF)
        target = folder / f"{path.stem}.html"
        target.write_text(render_html(pack, compare(a, pack.vocabularies), world), encoding="utf-8")
        out[path.stem] = (target, verdict(a))
    return out


def _open(visit: Visit, report: Path) -> None:
    visit.page.goto(report.as_uri())
    visit.page.wait_for_load_state("load")


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLE_FILES])
def test_report_fits_a_phone_and_opens_with_the_verdict(phone, reports, name):  # noqa: F811
    report, expected = reports[name]
    _open(phone, report)
    assert phone.page.evaluate("window.innerWidth") == PHONE_WIDTH  # laid out for the phone, not zoomed out
    assert phone.scroll_width() <= PHONE_WIDTH, f"{name}: the page is {phone.scroll_width()} px wide"
    # The first section of the report is the verdict: the first heading after the title, before any finding.
    first = phone.page.evaluate(
        "() => { const h = document.querySelector('h2'); return [h.textContent, h.parentElement.id]; }"
    )
    assert first == ["Verdict", "verdict"]
    assert phone.page.evaluate(
        "() => !!(document.querySelector('#verdict').compareDocumentPosition(document.querySelector('table'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    # It says, for each jurisdiction in order, the verdict the assessment's findings make.
    shown = phone.page.locator("#verdict dt").all_inner_texts()
    assert shown == [f"{j.name} ({j.jurisdiction}): {label(j).upper()}" for j in expected.jurisdictions]
    assert phone.left_machine == [] and phone.console_errors == []


def test_every_citation_in_the_verdict_links_to_its_provision(desktop, reports):  # noqa: F811
    report, expected = reports["workplace-emotion-recognition"]
    _open(desktop, report)
    links = desktop.page.locator("#verdict dd a")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    eu = next(j for j in expected.jurisdictions if j.jurisdiction == "EU")
    assert eu.because[0].url in hrefs  # the Art. 5(1)(f) ban, linked to its text
    assert desktop.left_machine == [] and desktop.console_errors == []


def test_the_guard_sees_a_request_that_leaves_the_machine(phone, tmp_path):  # noqa: F811
    """The no-network check can fail: a page that loads a picture from elsewhere is caught (and the request
    aborted)."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><html><body><img src="https://example.org/pixel.png" alt=""></body></html>')
    _open(phone, page)
    assert phone.left_machine == ["https://example.org/pixel.png"]


def test_the_width_check_can_fail(phone, tmp_path):  # noqa: F811
    """A page wider than the phone is measured as such (the report's check is not vacuous)."""
    page = tmp_path / "wide.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        '<body><table><tr><td style="white-space:nowrap">' + "x" * 200 + "</td></tr></table></body></html>"
    )
    _open(phone, page)
    assert phone.scroll_width() > PHONE_WIDTH
