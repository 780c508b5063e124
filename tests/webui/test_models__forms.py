"""The form builder: the preview is drawn by the task page's field macros (a choice is the task page's
select, a required field its star, a table its rows), a broken form shows the deploy-time check's problem
instead, and a saved form goes into the owner's draft, where the check (NZ021) and the deploy see it. The
page posts the builder's model (webui/models/form_model.py), which the server turns into the form."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable

from engine.platform import Platform
from tests.webui.demo_site import Seeded
from tests.webui.pages import Pages
from tests.webui.test_models__deploy import KEY, owner_of
from tests.webui.test_models__pages import OWNER
from webui.models import drafts, versions
from webui.models.form_model import model_of

FORM = {
    "title": {"fa": "بررسی درخواست", "en": "Review"},
    "schema": {
        "type": "object",
        "required": ["decision"],
        "properties": {
            "decision": {"type": "string", "title": "تصمیم", "enum": ["accept", "reject"]},
            "amount": {"type": "integer", "format": "rial", "title": "مبلغ", "minimum": 0},
        },
    },
    "ui": {"order": ["amount", "decision"], "fields": {"decision": {"labels": {"accept": "پذیرش"}}}},
}


CHECK = {
    "id": "amount_positive",
    "rule": "amount > 0",
    "path": "amount",
    "message": {"fa": "مبلغ باید مثبت باشد", "en": "The amount must be positive"},
}


def preview(owner: Pages, model: object) -> str:
    response = owner.client.post(
        f"/models/{KEY}/forms/preview", json={"model": model}, headers={"X-CSRFToken": owner.token()}
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_preview_draws_fields_as_the_task_page_does_in_the_forms_order(
    pages: Callable[[], Pages],
) -> None:
    html = preview(owner_of(pages), model_of(FORM))
    assert html.index('id="field-amount"') < html.index('id="field-decision"')
    assert '<option value="accept" >پذیرش</option>' in html
    assert re.search(r'for="f-decision" class="label">تصمیم <span class="req"', html)
    assert 'class="num amount"' in html and "ریال" in html


def test_a_broken_form_shows_the_deploy_checks_problem_instead_of_fields(
    pages: Callable[[], Pages],
) -> None:
    checked = {**copy.deepcopy(FORM), "checks": [CHECK]}
    model = model_of(checked)
    model["fields"] = [f for f in model["fields"] if f["name"] != "amount"]  # the check still reads it
    html = preview(owner_of(pages), model)
    assert 'id="preview-problems"' in html and "amount" in html
    assert 'class="field' not in html


def test_a_model_that_cannot_be_a_form_is_said_in_the_preview_and_not_saved(
    pages: Callable[[], Pages], demo: tuple[Platform, Seeded]
) -> None:
    owner, model = owner_of(pages), model_of(FORM)
    model["fields"][1]["name"] = model["fields"][0]["name"]
    assert "دو بار آمده است" in preview(owner, model)
    saved = owner.client.post(
        f"/models/{KEY}/forms/review.json", json={"model": model}, headers={"X-CSRFToken": owner.token()}
    )
    assert saved.status_code == 400 and "دو بار آمده است" in saved.json["problems"][0]
    assert drafts.load(demo[0].store, OWNER, KEY) is None


def test_a_saved_form_joins_the_draft_and_the_check_reports_a_broken_one(
    pages: Callable[[], Pages], demo: tuple[Platform, Seeded]
) -> None:
    platform, owner = demo[0], owner_of(pages)
    headers = {"X-CSRFToken": owner.token()}
    saved = owner.client.post(
        f"/models/{KEY}/forms/review.json", json={"model": model_of(FORM)}, headers=headers
    )
    assert saved.json == {"ok": True, "problems": []}
    draft = drafts.load(platform.store, OWNER, KEY)
    newest = versions.stored(platform.store, KEY)
    assert draft.forms["review.json"] == FORM and draft.bpmn == newest.bpmn
    assert set(draft.forms) == set(newest.forms) | {"review.json"}
    assert 'data-form="review.json"' in owner.html(f"/models/{KEY}/forms")

    broken = model_of(FORM)
    broken["title"]["fa"] = ""  # a form needs its Persian title
    saved = owner.client.post(f"/models/{KEY}/forms/review.json", json={"model": broken}, headers=headers)
    assert saved.json["problems"]
    checked = owner.client.post(f"/models/{KEY}/check", json={"xml": newest.bpmn}, headers=headers)
    assert [d["file"] for d in checked.json["diagnostics"] if d["code"] == "NZ021"] == ["forms/review.json"]


def test_the_builder_page_carries_the_form_and_refuses_a_bad_file_name(pages: Callable[[], Pages]) -> None:
    owner = owner_of(pages)
    html = owner.html(f"/models/{KEY}/forms/circular.json")
    found = re.search(r'id="builder-config">(.*?)</script>', html, re.S)
    assert found and json.loads(found.group(1))["model"]["title"]["fa"]
    assert owner.get(f"/models/{KEY}/forms/..%2Fsecret.json").status_code in (400, 404)
    assert owner.get(f"/models/{KEY}/forms/circular.txt").status_code == 400
