"""An administrator on the auditor's instance page in a real browser: suspend the case with a note, come
back to the same page with the case suspended and the note on its timeline, resume it. The auditor sees
the same page without the actions. Persian, right to left; screenshots go to tests/artifacts/ui/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.webui.browser.conftest import Site, Visit
from tests.webui.browser.test_clerk__journey import assert_persian_rtl

pytestmark = pytest.mark.browser

NOTE = "تا رسیدن پاسخ شهرداری"


def test_an_admin_suspends_and_resumes_a_case_from_its_page(site: Site, visit: Visit) -> None:
    case = site.platform.start(
        "audit_review", {}, actor="mayor_a", business_key="حسابرسی ۱۴۰۴ بوستان"
    ).instance_id
    page = visit.sign_in("admin")
    visit.go(f"/instances/{case}")
    assert_persian_rtl(page)
    expect(page.locator("#admin-actions form")).to_have_count(2)  # running: suspend and cancel

    page.fill("#suspend-form input[name=note]", NOTE)
    page.click("#suspend-form button[type=submit]")
    page.wait_for_url(f"**/instances/{case}")
    expect(page.locator(".flash.ok")).to_be_visible()
    expect(page.locator("#instance-status")).to_have_text("معلق")
    expect(page.locator(".timeline li.kind-suspended")).to_contain_text(NOTE)
    expect(page.locator(".timeline li.kind-suspended")).to_contain_text("admin")
    expect(page.locator("#resume-form")).to_be_visible()
    visit.screenshot("admin-instance-suspended")

    page.click("#resume-form button[type=submit]")
    page.wait_for_url(f"**/instances/{case}")
    expect(page.locator("#instance-status")).to_have_text("در جریان")
    assert site.platform.instance(case)["status"] == "running"


def test_the_auditor_sees_the_case_without_the_admins_actions(site: Site, visit: Visit) -> None:
    page = visit.sign_in("auditor_1")
    visit.go(f"/instances/{site.seeded.muni_a_instance}")
    expect(page.locator("#stepper")).to_be_visible()
    expect(page.locator("#admin-actions")).to_have_count(0)
