"""The clerk's journey in a real browser: sign in, claim, an inline error, fix, refer with a note, a
colleague completes. Every page is Persian and right to left, makes no request to another host and
logs no console error (the fixtures' guard); screenshots go to tests/artifacts/ui/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.webui.browser.conftest import Site, Visit

pytestmark = pytest.mark.browser

NOTE = "سال مالی را اصلاح کردم؛ لطفاً بخشنامه را بررسی و ابلاغ کنید."


def assert_persian_rtl(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    loaded = page.evaluate("document.fonts.load('16px Vazirmatn', 'سلام').then((faces) => faces.length)")
    assert loaded > 0, "Vazirmatn did not load"


def fill_circular_with_a_wrong_year(page: Page) -> None:
    page.fill("#f-fiscal_year", "۱۳۰۰")  # below the form's minimum (1390)
    page.fill("#f-circular", "1406")
    page.select_option("#f-municipalities-0-unit", "muni-a")
    page.fill("#f-municipalities-0-note", "درجه ۷")
    page.click("button.add-row[data-table=municipalities]")
    page.select_option("#f-municipalities-1-unit", "muni-b")


def test_a_clerk_fixes_an_inline_error_refers_with_a_note_and_a_colleague_completes(
    browser: Browser, site: Site, visit: Visit, visits: list[Visit]
) -> None:
    task = site.seeded.journey_task
    page = visit.go("/inbox")
    assert "/signin" in page.url
    assert_persian_rtl(page)
    visit.screenshot("signin")

    visit.sign_in("expert_1")
    assert_persian_rtl(page)
    expect(page.locator(f'tr[data-task="{task}"]')).to_be_visible()
    visit.screenshot("inbox")

    page.click(f'a[href="/tasks/{task}"]')
    page.click("#claim")
    expect(page.locator(".flash.ok")).to_be_visible()
    fill_circular_with_a_wrong_year(page)
    page.click("#complete")

    error = page.locator('.field-error[data-path="fiscal_year"]')
    expect(error).to_be_visible()
    expect(error).to_contain_text("سال مالی")
    expect(error).to_contain_text(re.compile("۱٬?۳۹۰"))  # the minimum, in Persian digits
    assert page.get_attribute("#f-fiscal_year", "aria-invalid") == "true"
    assert page.input_value("#f-circular") == "1406"  # what was typed is kept
    assert page.input_value("#f-municipalities-1-unit") == "muni-b"
    assert_persian_rtl(page)
    page.wait_for_selector("#diagram[data-ready='1']")
    assert page.locator('#diagram .djs-element.active[data-element-id="circular"]').count() == 1
    visit.screenshot("task-inline-error")

    page.fill("#f-fiscal_year", "۱۴۰۶")
    page.click("#refer-panel summary")
    page.select_option("#to_user", "expert_2")
    page.fill("#refer-note", NOTE)
    page.click("#refer")
    page.wait_for_url("**/inbox")
    expect(page.locator(".flash.ok")).to_contain_text("expert_2")
    assert page.locator(f'tr[data-task="{task}"]').count() == 0

    colleague = Visit(browser, site)
    visits.append(colleague)
    second = colleague.sign_in("expert_2")
    second.click("a.tab-referred")
    second.click(f'a[href="/tasks/{task}"]')
    expect(second.locator(".referrals")).to_contain_text(NOTE)
    assert second.input_value("#f-fiscal_year") == "۱۴۰۶"  # the draft travelled with the referral
    assert second.input_value("#f-municipalities-1-unit") == "muni-b"
    second.wait_for_selector("#diagram[data-ready='1']")
    colleague.screenshot("task-referred")
    second.click("#complete")
    second.wait_for_url("**/inbox")
    expect(second.locator(".flash.ok")).to_be_visible()
    assert second.locator(f'tr[data-task="{task}"]').count() == 0

    completed = [e for e in site.platform.history(site.seeded.journey_instance) if e["kind"] == "completed"]
    assert [e["actor"] for e in completed] == ["expert_2"]
    submitted = completed[0]["data"]["submitted"]
    assert submitted["fiscal_year"] == 1406
    assert [m["unit"] for m in submitted["municipalities"]] == ["muni-a", "muni-b"]


def test_the_inbox_switches_to_english_left_to_right_and_back(visit: Visit) -> None:
    page = visit.sign_in("expert_1")
    page.click("button[name=lang][value=en]")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Inbox")
    visit.screenshot("inbox-en")
    page.click("button[name=lang][value=fa]")
    assert_persian_rtl(page)


def test_the_processes_page_is_persian_and_lists_the_library(visit: Visit) -> None:
    page = visit.sign_in("dg_urban")
    page.click("nav.mainnav a[href='/processes']")
    assert_persian_rtl(page)
    expect(page.locator("table.grid")).to_contain_text("budget_oversight")
    visit.screenshot("processes")
