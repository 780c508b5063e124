"""The process owner's journey in a real browser: open a diagram in the modeler, misspell a service
task's handler in the Camunda properties panel, check and see NZ103 on that element, find the draft
kept after a reload, fix the handler, deploy version 2; then the diff and the form builder's preview,
with a choice field and with a table of two columns whose rows the preview adds and removes.
Every page is Persian and right to left, makes no request to another host and logs no console error
(the fixtures' guard); screenshots go to tests/artifacts/ui/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

import forms
from tests.webui.browser.conftest import Site, Visit
from tests.webui.browser.test_clerk__journey import assert_persian_rtl
from webui.models import drafts, versions

pytestmark = pytest.mark.browser

KEY = "grade_promotion"
TASK = "require_docs"
TOPIC = "#bio-properties-panel-externalTopic"
NAME = "#bio-properties-panel-name"
NEW_NAME = "کنترل کامل بودن مدارک پرونده"
SHAPE = f'#canvas g.djs-element[data-element-id="{TASK}"]'


def open_modeler(page: Page) -> None:
    page.wait_for_selector("#canvas[data-ready='1']")
    expect(page.locator(SHAPE)).to_be_visible()


def set_topic(page: Page, topic: str) -> None:
    """Type the handler into the panel of the selected task; wait for the (debounced) edit to land."""
    page.fill(TOPIC, topic)
    page.wait_for_function("Number(document.body.dataset.changes || 0) >= 1")


def test_an_owner_sees_a_lint_error_on_the_element_fixes_it_and_deploys_version_2(
    site: Site, visit: Visit
) -> None:
    page = visit.sign_in("owner_1")
    page.click("nav.mainnav a[href='/models']")
    assert_persian_rtl(page)
    expect(page.locator(f"#p-{KEY} tr[data-version='1']")).to_be_visible()
    visit.screenshot("owner-models")

    page.click(f"#p-{KEY} a[href='/models/{KEY}/modeler']")
    open_modeler(page)
    assert_persian_rtl(page)
    page.click(SHAPE)
    set_topic(page, "documents.requir")
    page.click("#check")

    entry = page.locator("#diagnostics li.diagnostic.error[data-code='NZ103']")
    expect(entry).to_have_attribute("data-element", TASK)
    expect(entry).to_contain_text("documents.require")  # the did-you-mean hint
    expect(page.locator(f"{SHAPE}.nz-error")).to_have_count(1)
    badge = page.locator(f'.djs-overlays[data-container-id="{TASK}"] .nz-badge.error')
    expect(badge).to_have_text("NZ103")
    visit.screenshot("owner-modeler-lint-error")

    page.reload()  # the check saved the draft on the server
    open_modeler(page)
    expect(page.locator("#draft-state")).to_be_visible()
    page.click(SHAPE)
    expect(page.locator(TOPIC)).to_have_value("documents.requir")

    set_topic(page, "documents.require")
    page.fill(NAME, NEW_NAME)
    expect(page.locator(f"{SHAPE} text")).to_contain_text("پرونده")  # the label follows the panel
    page.click("#check")
    expect(page.locator("#diagnostics-summary.ok")).to_be_visible()
    expect(page.locator(f"{SHAPE}.nz-error")).to_have_count(0)
    visit.screenshot("owner-modeler-fixed")

    page.click("#deploy")
    page.wait_for_url(f"**/models#p-{KEY}")
    expect(page.locator(".flash.ok")).to_contain_text(KEY)
    expect(page.locator(f"#p-{KEY} tr[data-version='2']")).to_contain_text("owner_1")
    assert versions.numbers(site.platform.store, KEY) == [1, 2]
    assert 'camunda:topic="documents.require"' in versions.stored(site.platform.store, KEY, 2).bpmn
    visit.screenshot("owner-deployed-version-2")

    page.click(f"#p-{KEY} tr[data-version='2'] a[href*='/diff']")
    assert_persian_rtl(page)
    expect(page.locator("h1")).to_contain_text("۲")
    renamed = page.locator(f'#changed li[data-element="{TASK}"] tr[data-facet="name"]')
    expect(renamed.locator("td.after")).to_have_text(NEW_NAME)
    expect(page.locator("#added, #removed")).to_have_count(0)
    visit.screenshot("owner-version-diff")


def test_the_form_builder_previews_an_added_choice_field_as_the_task_page_draws_it(
    site: Site, visit: Visit
) -> None:
    page = visit.sign_in("owner_1")
    visit.go(f"/models/{KEY}/forms")
    assert_persian_rtl(page)
    page.click("tr[data-form='request.json'] a")
    expect(page.locator("#preview .field").first).to_be_visible()

    page.click("#add-field")
    added = page.locator(".builder-field").last
    added.locator("[data-key='title']").fill("نوع درخواست")
    added.locator("[data-key='kind']").select_option("choice")
    added = page.locator(".builder-field").last  # the row is drawn again for the new kind
    added.locator("[data-key='choices']").fill("promote=ارتقای درجه\nreview=بازبینی درجه")
    added.locator("[data-key='required']").check()

    field = page.locator("#preview select[name^='field_']")
    expect(field.locator("option[value='promote']")).to_have_text("ارتقای درجه")
    expect(page.locator("#preview .kind-choice[data-field^='field_'] .req")).to_have_count(1)
    assert_persian_rtl(page)
    page.click("#save-form")
    expect(page.locator("#status[data-kind='ok']")).to_be_visible()
    visit.screenshot("owner-form-builder")


def test_the_form_builder_adds_a_table_with_two_columns_previews_its_rows_and_saves_it(
    site: Site, visit: Visit
) -> None:
    page = visit.sign_in("owner_1")
    visit.go(f"/models/{KEY}/forms/request.json")
    expect(page.locator("#preview .field").first).to_be_visible()

    page.click("#add-field")
    table = page.locator("#fields > .builder-field").last
    table.locator("[data-key='title']").first.fill("سوابق خدمت")
    table.locator("[data-key='kind']").first.select_option("table")
    table = page.locator("#fields > .builder-field").last  # drawn again for the new kind
    table.locator("[data-key='min']").first.fill("۱")
    table.locator("[data-key='max']").first.fill("۵")
    for title, kind in (("محل خدمت", "unit"), ("سال‌های خدمت", "integer")):
        table.locator(".add-column").click()
        column = table.locator(".columns > .builder-field").last
        column.locator("[data-key='title']").fill(title)
        column.locator("[data-key='kind']").select_option(kind)
        column = table.locator(".columns > .builder-field").last
        column.locator("[data-key='required']").check()
    expect(table.locator(".columns [data-key='kind'] option[value='table']")).to_have_count(0)

    drawn = page.locator("#preview table.subtable[data-table^='field_']")
    expect(drawn.locator("thead th")).to_have_count(4)  # row number, two columns, remove
    expect(drawn.locator("thead")).to_contain_text("محل خدمت")
    expect(drawn.locator("thead")).to_contain_text("سال‌های خدمت")
    expect(drawn).to_have_attribute("data-max-rows", "5")
    page.locator("#preview button.add-row[data-table^='field_']").click()
    expect(drawn.locator("tbody tr")).to_have_count(2)  # as on the task page
    assert_persian_rtl(page)
    visit.screenshot("owner-form-builder-table")
    drawn.locator("tbody tr").last.locator("button.remove-row").click()
    expect(drawn.locator("tbody tr")).to_have_count(1)

    page.click("#save-form")
    expect(page.locator("#status[data-kind='ok']")).to_be_visible()
    expect(page.locator("#save-problems")).to_be_hidden()
    saved = drafts.load(site.platform.store, "owner_1", KEY).forms["request.json"]
    [name] = [n for n, p in saved["schema"]["properties"].items() if p.get("title") == "سوابق خدمت"]
    loaded = forms.load_form(saved, name="request.json")  # what the deploy's form check runs
    [field] = [f for f in forms.fields(loaded) if f.name == name]
    assert [(c.label, c.kind, c.required) for c in field.columns] == [
        ("محل خدمت", "unit", True),
        ("سال‌های خدمت", "integer", True),
    ]
    assert (field.schema["minItems"], field.schema["maxItems"]) == (1, 5)
