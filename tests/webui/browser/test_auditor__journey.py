"""The auditor's journey in a real browser: find a case, open it, step back to an earlier event and see
the data and the diagram as they were, verify the history; then the dashboards. Every page is Persian and
right to left, makes no request to another host and logs no console error (the fixtures' guard);
screenshots go to tests/artifacts/ui/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from engine.budget.demo import demo_budget
from tests.webui.browser.conftest import Site, Visit
from tests.webui.browser.test_clerk__journey import assert_persian_rtl
from tests.webui.demo_site import task_of

pytestmark = pytest.mark.browser

CIRCULAR = {"fiscal_year": 1405, "circular": "1405", "municipalities": [{"unit": "muni-a"}]}


@pytest.fixture(scope="module")
def drafted(site: Site) -> dict[str, int]:
    """The journey case past the circular and muni-a's draft (a script and a handler ran after it); the
    sequence numbers of the events the test steps to."""
    platform, case = site.platform, site.seeded.journey_instance
    task = site.seeded.journey_task
    platform.claim(task, actor="expert_1")
    platform.complete(task, CIRCULAR, actor="expert_1")
    [draft] = [t for t in platform.tasks("budget_a") if t["element_id"] == "draft"]
    budget = demo_budget("muni-a")
    data = {"resources": budget["resources"], "uses": budget["uses"], "explanation": "بودجهٔ پیشنهادی ۱۴۰۵"}
    platform.claim(draft["id"], actor="budget_a")
    platform.complete(draft["id"], data, actor="budget_a")
    assert task_of(platform, "mayor_a", case)  # the case now waits for the mayor
    events = platform.history(case)
    return {
        "draft_ready": _seq(events, "task_ready", "draft"),
        "draft_done": _seq(events, "completed", "draft"),
        "last": events[-1]["seq"],
    }


def _seq(events: list[dict[str, Any]], kind: str, element: str) -> int:
    return next(e["seq"] for e in events if e["kind"] == kind and e["element_id"] == element)


def _diagram_ready(page: Page) -> None:
    page.wait_for_selector("#diagram[data-ready='1']")


def test_an_auditor_steps_back_to_an_earlier_event_sees_the_earlier_data_and_verifies(
    site: Site, visit: Visit, drafted: dict[str, int]
) -> None:
    case = site.seeded.journey_instance
    page = visit.sign_in("auditor_1")
    page.click("nav.mainnav a[href='/instances']")
    assert_persian_rtl(page)
    page.fill("input[name=key]", "شهرستان نمونه")
    page.click("#instance-filters button[type=submit]")
    row = page.locator(f'tr[data-instance="{case}"]')
    expect(row).to_be_visible()
    expect(row).to_contain_text(
        re.compile("[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}")
    )  # the start, Jalali in Persian digits
    visit.screenshot("auditor-search")

    row.locator("a").click()
    _diagram_ready(page)
    assert_persian_rtl(page)
    assert page.locator('#diagram .djs-element.active[data-element-id="submit"]').count() == 1
    assert page.locator('#diagram .djs-element.done[data-element-id="check"]').count() == 1
    expect(page.locator('#case-data dd[data-key="resources"]')).to_contain_text("٬")  # amounts grouped
    expect(page.locator(f'.timeline li[data-seq="{drafted["last"]}"]')).to_have_attribute(
        "aria-current", "step"
    )
    visit.screenshot("auditor-instance-latest")

    page.click(f'.timeline li[data-seq="{drafted["draft_done"]}"] a')
    page.click("#step-prev")  # one event before the draft was submitted
    page.wait_for_url(re.compile(rf"at={drafted['draft_done'] - 1}$"))
    _diagram_ready(page)
    assert page.locator('#case-data dd[data-key="resources"]').count() == 0  # not submitted yet
    expect(page.locator('#case-data dd[data-key="fiscal_year"]')).to_have_text("۱۴۰۵")
    assert page.locator('#diagram .djs-element.active[data-element-id="draft"]').count() == 1
    assert page.locator('#diagram .djs-element.done[data-element-id="check"]').count() == 0
    visit.screenshot("auditor-instance-earlier")

    page.click("#verify")
    result = page.locator("#verify-result")
    expect(result).to_have_attribute("data-ok", "yes")
    expect(result).to_contain_text(str(drafted["last"]).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    assert page.locator('#case-data dd[data-key="resources"]').count() == 0  # still at the earlier event
    visit.screenshot("auditor-instance-verified")


def test_the_slider_goes_to_the_event_it_is_let_go_at(
    site: Site, visit: Visit, drafted: dict[str, int]
) -> None:
    page = visit.sign_in("auditor_1")
    visit.go(f"/instances/{site.seeded.journey_instance}")
    _diagram_ready(page)
    page.eval_on_selector(
        "#at",
        "(el, seq) => { el.value = seq; el.dispatchEvent(new Event('change')); }",
        drafted["draft_ready"],
    )
    page.wait_for_url(re.compile(rf"at={drafted['draft_ready']}$"))
    expect(page.locator("#step-now")).to_contain_text("آماده شدن کار")


def test_the_dashboards_draw_the_kpis_beside_their_numbers(visit: Visit, drafted: dict[str, int]) -> None:
    page = visit.sign_in("dg_urban")
    page.click("nav.mainnav a[href='/dashboards']")
    assert_persian_rtl(page)
    assert page.locator("#by-unit svg.bars g.bar").count() >= 2
    expect(page.locator('#by-unit tr[data-unit="muni-a"]')).to_be_visible()
    expect(page.locator("#period")).to_contain_text(re.compile("۱۴۰۴/۰۱/۰۱"))
    visit.screenshot("dashboards")
