"""Saving, checking and deploying a draft: check returns the engine's diagnostics with their element;
a refused deploy stores nothing and keeps the draft; a deploy makes version N+1 through the same path as
``run.py deploy``; the CSRF token is required; drafts are per person and survive a reload."""

from __future__ import annotations

from collections.abc import Callable

from engine.platform import Platform
from tests.webui.demo_site import Seeded
from tests.webui.pages import Pages
from tests.webui.test_models__pages import OWNER, config_of
from webui.models import drafts, versions

KEY = "budget_oversight"
GOOD = 'camunda:topic="budget.check_structure"'
MISSPELT = 'camunda:topic="budget.check_structur"'


def owner_of(pages: Callable[[], Pages], user: str = OWNER) -> Pages:
    owner = pages()
    owner.sign_in(user)
    return owner


def post_json(owner: Pages, path: str, xml: str, token: str | None = "session") -> object:
    headers = {"X-CSRFToken": owner.token()} if token == "session" else {}
    return owner.client.post(path, json={"xml": xml}, headers=headers)


def newest_xml(platform: Platform) -> str:
    return versions.stored(platform.store, KEY).bpmn


def test_check_names_the_misspelt_handler_on_its_element_and_stores_no_version(
    pages: Callable[[], Pages], demo: tuple[Platform, Seeded]
) -> None:
    platform, owner = demo[0], owner_of(pages)
    response = post_json(owner, f"/models/{KEY}/check", newest_xml(platform).replace(GOOD, MISSPELT, 1))
    assert response.status_code == 200
    body = response.json
    assert body["errors"] == 1
    [found] = [d for d in body["diagnostics"] if d["code"] == "NZ103"]
    assert found["element"] == "check" and found["severity"] == "error"
    assert "budget.check_structure" in found["hint"]
    assert versions.numbers(platform.store, KEY) == [1]
    assert MISSPELT in drafts.load(platform.store, OWNER, KEY).bpmn  # check saved the draft first


def test_a_refused_deploy_shows_the_diagnostics_and_changes_nothing(
    pages: Callable[[], Pages], demo: tuple[Platform, Seeded]
) -> None:
    platform, owner = demo[0], owner_of(pages)
    post_json(owner, f"/models/{KEY}/draft", newest_xml(platform).replace(GOOD, MISSPELT, 1))
    before = drafts.load(platform.store, OWNER, KEY)
    response = owner.post(f"/models/{KEY}/deploy")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="deploy-problem"' in html
    assert [d["code"] for d in config_of(html)["diagnostics"] if d["severity"] == "error"] == ["NZ103"]
    assert versions.numbers(platform.store, KEY) == [1]
    assert drafts.load(platform.store, OWNER, KEY) == before


def test_a_deploy_makes_the_next_version_by_the_owner_and_drops_the_draft(
    pages: Callable[[], Pages], demo: tuple[Platform, Seeded]
) -> None:
    platform, owner = demo[0], owner_of(pages)
    first = versions.stored(platform.store, KEY, 1)
    changed = first.bpmn.replace('name="بررسی سامانه‌ای ساختار بودجه"', 'name="بررسی خودکار ساختار بودجه"')
    post_json(owner, f"/models/{KEY}/draft", changed)
    response = owner.post(f"/models/{KEY}/deploy")
    assert response.status_code == 302 and response.headers["Location"] == f"/models#p-{KEY}"
    assert versions.numbers(platform.store, KEY) == [1, 2]
    second = versions.stored(platform.store, KEY, 2)
    assert second.bpmn == changed and second.forms == first.forms
    assert drafts.load(platform.store, OWNER, KEY) is None
    assert "نسخهٔ ۲ فرایند budget_oversight مستقر شد" in owner.html("/models")
    assert owner.html(f"/models/{KEY}/diff").count('class="diff-changed"') == 1


def test_deploying_an_unchanged_draft_is_the_same_version(
    pages: Callable[[], Pages], demo: tuple[Platform, Seeded]
) -> None:
    platform, owner = demo[0], owner_of(pages)
    post_json(owner, f"/models/{KEY}/draft", newest_xml(platform))
    assert owner.post(f"/models/{KEY}/deploy").status_code == 302
    assert versions.numbers(platform.store, KEY) == [1]
    assert "تغییری نبود" in owner.html("/models")


def test_without_the_csrf_token_nothing_is_saved_or_deployed(
    pages: Callable[[], Pages], demo: tuple[Platform, Seeded]
) -> None:
    platform, owner = demo[0], owner_of(pages)
    response = post_json(owner, f"/models/{KEY}/draft", newest_xml(platform), token=None)
    assert response.status_code == 400
    assert drafts.load(platform.store, OWNER, KEY) is None
    post_json(owner, f"/models/{KEY}/draft", newest_xml(platform).replace("بررسی", "وارسی"))
    refused = owner.client.post(f"/models/{KEY}/deploy")
    assert refused.status_code == 400
    assert versions.numbers(platform.store, KEY) == [1]


def test_a_draft_is_kept_across_reloads_and_is_its_owners_alone(
    pages: Callable[[], Pages], demo: tuple[Platform, Seeded]
) -> None:
    platform, owner = demo[0], owner_of(pages)
    edited = newest_xml(platform).replace(GOOD, MISSPELT, 1)
    assert post_json(owner, f"/models/{KEY}/draft", edited).status_code == 200
    mine = config_of(owner.html(f"/models/{KEY}/modeler"))
    assert mine["xml"] == edited and mine["baseVersion"] == 1
    theirs = config_of(owner_of(pages, "admin").html(f"/models/{KEY}/modeler"))
    assert theirs["xml"] == newest_xml(platform)
    version_one = config_of(owner.html(f"/models/{KEY}/modeler?version=1"))
    assert version_one["xml"] == newest_xml(platform)
    assert owner.post(f"/models/{KEY}/discard").status_code == 302
    assert drafts.load(platform.store, OWNER, KEY) is None


def test_a_new_process_starts_from_a_blank_diagram_that_passes_the_check(
    pages: Callable[[], Pages], demo: tuple[Platform, Seeded]
) -> None:
    platform, owner = demo[0], owner_of(pages)
    response = owner.post("/models/new", {"process_key": "levy_review", "name": "بررسی عوارض"})
    assert response.headers["Location"] == "/models/levy_review/modeler"
    xml = config_of(owner.html("/models/levy_review/modeler"))["xml"]
    assert 'name="بررسی عوارض"' in xml
    checked = post_json(owner, "/models/levy_review/check", xml)
    assert checked.json["errors"] == 0
    assert owner.post("/models/new", {"process_key": "levy_review"}).status_code == 409
    assert owner.post("/models/new", {"process_key": "1 bad key"}).status_code == 400
    assert owner.post("/models/levy_review/deploy").status_code == 302
    assert versions.numbers(platform.store, "levy_review") == [1]
