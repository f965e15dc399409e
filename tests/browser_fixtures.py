"""The browser test ground: a real Chromium driven by Playwright (through pytest-playwright), shared by every test
that looks at a page (the HTML report, and issue 12's interview and inventory pages).

Playwright cannot download its own browsers on these machines, so the system's Chromium is launched: Debian's
`chromium` package (`apt-get install chromium`, which `.ci/run` installs when it is missing), or the executable
named by REGATLAS_CHROMIUM. As root, Chromium needs --no-sandbox. Without Playwright or without Chromium the tests
that use these fixtures are skipped, with the reason.

A test module imports the fixtures it uses (pytest finds fixtures by name in the module):

    from browser_fixtures import browser_type_launch_args, desktop, phone  # noqa: F401

`phone` and `desktop` are pages in a fresh browser context that lets no request leave the machine: requests to
anything but this machine (file:, data:, localhost) are aborted and listed in `visit.left_machine`; console
errors and uncaught page errors are listed in `visit.console_errors`. A test asserts both lists are empty.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytest.importorskip("playwright", reason="browser tests need Playwright: pip install -e '.[test]'")
pytest.importorskip("pytest_playwright", reason="browser tests need pytest-playwright: pip install -e '.[test]'")

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route

CHROMIUM_ENV = "REGATLAS_CHROMIUM"
# A phone: 390 CSS pixels wide (an iPhone 12 to 15), laid out as a mobile browser does, honouring the page's
# viewport meta tag (without it, a mobile browser lays the page out 980 pixels wide and shrinks it).
PHONE_WIDTH = 390
PHONE: dict[str, Any] = {
    "viewport": {"width": PHONE_WIDTH, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
LOCAL_SCHEMES = frozenset({"file", "data", "about", "blob"})


def chromium_path() -> str | None:
    """The Chromium to launch: REGATLAS_CHROMIUM, else the system's `chromium` (Debian) or `chromium-browser`."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return named if Path(named).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments, pointed at the system Chromium (it cannot download its own here)."""
    path = chromium_path()
    if path is None:
        pytest.skip(
            f"no Chromium found (install Debian's package: apt-get install -y chromium, or set {CHROMIUM_ENV}); "
            "Playwright cannot download its own browsers on this machine"
        )
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []  # root: no user namespaces
    return {**browser_type_launch_args, "executable_path": path, "args": args}


@dataclass
class Visit:
    """A page and what it did that a test must see: requests that tried to leave the machine, console errors."""

    page: Page
    left_machine: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def scroll_width(self) -> int:
        """The document's full width in CSS pixels: wider than the viewport means the page scrolls sideways."""
        return int(self.page.evaluate("document.documentElement.scrollWidth"))


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


def watched(context: BrowserContext) -> Visit:
    """A new page in the context, with every request off this machine aborted and recorded, and errors recorded."""
    visit = Visit(context.new_page())

    def route(r: Route) -> None:
        if is_local(r.request.url):
            r.continue_()
        else:
            visit.left_machine.append(r.request.url)
            r.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            visit.console_errors.append(message.text)

    context.route("**/*", route)
    visit.page.on("console", console)
    visit.page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    return visit


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> Visit:
    """A page on a 390 px wide phone screen."""
    return watched(new_context(**PHONE))


@pytest.fixture
def desktop(new_context: Callable[..., BrowserContext]) -> Visit:
    """A page on a 1280 px wide desktop screen."""
    return watched(new_context(**DESKTOP))


@pytest.fixture
def audited_phone(new_context: Callable[..., BrowserContext]) -> Visit:
    """A phone page that lets the test inject axe-core: the pages' Content-Security-Policy refuses inline scripts,
    as it should, so this context bypasses it (and only this one)."""
    return watched(new_context(**PHONE, bypass_csp=True))
