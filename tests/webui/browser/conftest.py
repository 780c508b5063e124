"""Browser fixtures: the app on a free port of 127.0.0.1 (a thread, a fresh demo database), Debian's
chromium driven by Playwright, and a guard on every page.

The guard aborts and records any request to a host other than localhost, and records console errors
and uncaught page errors; a test fails at teardown if either list is not empty. Chromium is Debian's
(``make system-deps`` installs it); Playwright's own browser download is never used.
"""

from __future__ import annotations

import dataclasses
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Route,
    sync_playwright,
)
from werkzeug.serving import make_server

from engine.clock import FixedClock
from tests.webui.demo_site import NOW, PASSWORD, Seeded, demo_platform, seed
from webui import create_app
from webui.i18n import compile_catalogs

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "ui"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
VIEWPORT = {"width": 1440, "height": 1000}


@dataclasses.dataclass
class Site:
    url: str
    seeded: Seeded
    platform: Any


@dataclasses.dataclass
class Guard:
    """What a page did that it must not: requests to other hosts, console errors, page errors."""

    external: list[str] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)

    def route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS:
            route.continue_()
            return
        self.external.append(url)
        route.abort()

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url')})")

    def page_error(self, error: Any) -> None:
        self.errors.append(f"page error: {error}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    compile_catalogs()
    clock = FixedClock.at(NOW)
    platform = demo_platform(tmp_path_factory.mktemp("site"), clock)
    seeded = seed(platform, clock)
    server = make_server("127.0.0.1", 0, create_app({"TESTING": True}, platform=platform), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(f"http://127.0.0.1:{server.server_port}", seeded, platform)
    server.shutdown()
    thread.join(timeout=10)
    platform.store.dispose()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: run `make system-deps`"
    launched = playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
    yield launched
    launched.close()


class Visit:
    """A browser context (one person's cookies) with its guard; ``visit.page`` is its one page."""

    def __init__(self, browser: Browser, site: Site) -> None:
        self.site, self.guard = site, Guard()
        self.context: BrowserContext = browser.new_context(locale="fa-IR", viewport=VIEWPORT)
        self.context.route("**/*", self.guard.route)
        self.page: Page = self.context.new_page()
        self.page.on("console", self.guard.console)
        self.page.on("pageerror", self.guard.page_error)

    def go(self, path: str) -> Page:
        self.page.goto(self.site.url + path)
        return self.page

    def sign_in(self, user: str, password: str = PASSWORD) -> Page:
        self.go("/signin")
        self.page.fill("#user_name", user)
        self.page.fill("#password", password)
        self.page.click("button[type=submit].primary")
        self.page.wait_for_url("**/inbox**")
        return self.page

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def visits(browser: Browser, site: Site) -> Iterator[list[Visit]]:
    """Open visits with ``visits.append(Visit(browser, site))``; each must end clean."""
    opened: list[Visit] = []
    yield opened
    problems = []
    for visit in opened:
        problems += [f"request to another host: {url}" for url in visit.guard.external]
        problems += visit.guard.errors
        visit.context.close()
    assert problems == []


@pytest.fixture
def visit(browser: Browser, site: Site, visits: list[Visit]) -> Visit:
    opened = Visit(browser, site)
    visits.append(opened)
    return opened
