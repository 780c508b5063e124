"""In chromium: a clerk completes a signature step with "sign with my token". The page asks the server
for the bytes, the local signing agent (a real one, on a SoftHSM2 token, on 127.0.0.1) signs them, the
form goes with the CMS, and the history's ``signed`` event names the clerk. With the agent gone, the
page says so beside the sign control and nothing moves.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from engine import directory
from engine.clock import FixedClock
from engine.passwords import set_password
from engine.platform import Platform
from engine.settings import from_env
from handlers import wiring
from signatures.agent import Agent, AgentConfig, start
from signatures.agent.server import served
from signatures.demo import issue_demo_credentials
from tests.conftest import add_people, bundle
from tests.signatures.token_support import PIN, enroll, softhsm
from tests.webui.browser.conftest import Site, Visit
from tests.webui.demo_site import PASSWORD
from webui import create_app
from webui.i18n import compile_catalogs

pytestmark = pytest.mark.browser
CLOCK = FixedClock.at("2026-03-01T09:00:00+03:30")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The signed_decision bundle on a site with the demo PKI; mina signs in with the demo password."""
    compile_catalogs()
    folder = tmp_path_factory.mktemp("site")
    people = [directory.Person(n, n, None, frozenset(), None) for n in ("mina", "ali")]
    issue_demo_credentials(people, folder / "pki", FixedClock.at("2026-02-01T09:00:00+03:30"))
    settings = from_env(
        {}, database_url=f"sqlite:///{folder / 'n.db'}", data_dir=str(folder), scheduler="off"
    )
    platform = Platform.build(settings, clock=CLOCK, **wiring.platform_parts(settings, CLOCK))
    platform.init_db()
    with platform.store.transaction() as tx:
        add_people(tx)
        set_password(tx, "mina", PASSWORD)
    platform.deploy(bundle("signed_decision"), actor="admin")
    server = make_server("127.0.0.1", 0, create_app({"TESTING": True}, platform=platform), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(f"http://127.0.0.1:{server.server_port}", None, platform)  # type: ignore[arg-type]
    server.shutdown()
    thread.join(timeout=10)
    platform.store.dispose()


@pytest.fixture(scope="module")
def agent(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    """mina's token, and her agent on the default port, allowing this site's origin only."""
    pki = Path(site.platform.settings.data_dir) / "pki"
    with softhsm(tmp_path_factory.mktemp("softhsm"), ["MinaToken"]) as module:
        enroll(module, "MinaToken", "mina", "مینا صادقی", pki, FixedClock.at("2026-02-01T09:00:00+03:30"))
        started = start(AgentConfig(module, "MinaToken", frozenset({site.url})), PIN, CLOCK)
        with served(started):
            yield started


def open_signature_step(visit: Visit) -> tuple[str, Page]:
    started = visit.site.platform.start("signed_decision", {}, actor="mina")
    [task] = visit.site.platform.tasks("mina", instance_id=started.instance_id)
    visit.sign_in("mina")
    page = visit.go(f"/tasks/{task['id']}")
    page.click("#claim")
    page.select_option("#f-decision", "approved")
    page.fill("#f-amount", "۱٬۵۰۰٬۰۰۰٬۰۰۰")
    page.fill("#f-note", "مطابق مصوبهٔ شورا")
    return started.instance_id, page


def test_a_clerk_signs_with_her_token_through_the_local_agent(visit: Visit, agent: Agent) -> None:
    instance_id, page = open_signature_step(visit)
    expect(page.locator("#sign-with-token")).to_be_checked()
    visit.screenshot("task_signature_step")

    page.click("#complete")

    page.wait_for_url("**/inbox**")
    (signed,) = [e for e in visit.site.platform.history(instance_id) if e["kind"] == "signed"]
    assert signed["actor"] == "mina" and "مینا صادقی" in signed["data"]["signer"]
    forgive(visit, "no diagram to display")


def test_without_the_agent_the_page_says_so_beside_the_sign_control(visit: Visit, agent: Agent) -> None:
    instance_id, page = open_signature_step(visit)
    page.route("http://127.0.0.1:8790/**", lambda route: route.abort())  # the agent is not running

    page.click("#complete")

    expect(page.locator("#signature-error")).to_contain_text("برنامهٔ امضای محلی پاسخ نداد")
    assert "signed" not in [e["kind"] for e in visit.site.platform.history(instance_id)]
    forgive(visit, "no diagram to display", "8790", "ERR_FAILED")  # the failed call to the agent is the point


def forgive(visit: Visit, *expected: str) -> None:
    """Drop the page errors this test causes on purpose; the test bundle has no diagram interchange, so the
    page's bpmn-js viewer has nothing to draw."""
    visit.guard.errors[:] = [e for e in visit.guard.errors if not any(x in e for x in expected)]
