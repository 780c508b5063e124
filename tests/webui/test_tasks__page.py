"""The task page: the form from its JSON Schema, errors inline with what was typed kept, completion
through the Platform, claim and unclaim, refer and return with notes (the draft travels along), the
diagram's data and the case's attachments."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest

from engine.platform import Platform
from tests.webui.demo_site import Seeded, task_of
from tests.webui.pages import Pages

Demo = tuple[Platform, Seeded]
PDF = b"%PDF-1.4\n% a tiny test document\n%%EOF\n"
GOOD = [
    ("fiscal_year", "۱۴۰۶"),
    ("circular", "1406"),
    ("submission_deadline", "۱۴۰۵/۱/۱۵"),
    ("municipalities.0.unit", "muni-a"),
    ("municipalities.0.note", "درجه ۷"),
    ("municipalities.1.unit", ""),  # the blank row the page always offers
    ("municipalities.1.note", ""),
]


@pytest.fixture
def expert(pages: Callable[[], Pages], demo: Demo) -> Pages:
    clerk = pages()
    clerk.sign_in("expert_1")
    clerk.post(f"/tasks/{demo[1].journey_task}/claim")
    return clerk


def replaced(pairs: list[tuple[str, str]], **changes: str) -> list[tuple[str, str]]:
    return [(k, changes.get(k, v)) for k, v in pairs]


def test_the_form_is_drawn_from_its_schema_in_persian(expert: Pages, demo: Demo) -> None:
    html = expert.html(f"/tasks/{demo[1].journey_task}")
    assert "<h2>ابلاغ بخشنامهٔ بودجه</h2>" in html
    assert re.search(r'<label for="f-fiscal_year" class="label">سال مالی <span class="req"', html)
    assert 'id="f-fiscal_year" name="fiscal_year"' in html and 'inputmode="numeric"' in html
    assert (
        'type="file" id="f-circular_letter" name="circular_letter" accept="application/pdf,image/jpeg,image/png"'
        in html
    )
    assert 'name="submission_deadline"' in html and 'placeholder="۱۴۰۵/۰۱/۱۵"' in html
    assert '<table class="subtable" data-table="municipalities" data-min-rows="1">' in html
    assert re.search(r'<select id="f-municipalities-0-unit" name="municipalities.0.unit"[^>]*>', html)
    assert '<option value="muni-a" >شهرداری الف (درجه ۷)</option>' in html
    assert "سال شمسی بودجه، مثلاً ۱۴۰۶" in html  # the field's help


def test_a_refused_submission_shows_each_error_next_to_its_field_and_keeps_what_was_typed(
    expert: Pages, demo: Demo
) -> None:
    task = demo[1].journey_task
    data = replaced(GOOD, fiscal_year="۱۳۰۰", **{"municipalities.0.unit": "no-such-unit"})
    response = expert.post(f"/tasks/{task}", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(
        r'<p class="field-error" id="err-fiscal_year" data-path="fiscal_year">«سال مالی» نباید کمتر', html
    )
    assert 'data-path="municipalities/0/unit"' in html and "واحد سازمانی که در" in html
    assert 'id="f-fiscal_year" name="fiscal_year" aria-invalid="true"' in html
    assert 'value="۱۳۰۰"' in html and 'value="1406"' in html and 'value="درجه ۷"' in html
    assert '<option value="no-such-unit" selected>' in html
    assert 'id="form-problem"' in html and "۲ ایراد دارد" in html
    assert demo[0].tasks("expert_1", instance_id=demo[1].journey_instance)[0]["id"] == task  # still open


def test_a_valid_submission_completes_the_task_through_the_platform(expert: Pages, demo: Demo) -> None:
    platform, seeded = demo
    upload = [("circular_letter", (io.BytesIO(PDF), "بخشنامه.pdf", "application/pdf"))]
    response = expert.post(f"/tasks/{seeded.journey_task}", GOOD + upload, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"] == "/inbox"
    assert "کار انجام شد." in expert.html("/inbox")
    [completed] = [e for e in platform.history(seeded.journey_instance) if e["kind"] == "completed"]
    submitted = completed["data"]["submitted"]
    assert completed["actor"] == "expert_1"
    assert (submitted["fiscal_year"], submitted["submission_deadline"]) == (1406, "1405/01/15")
    assert submitted["municipalities"] == [{"unit": "muni-a", "note": "درجه ۷"}]
    assert submitted["circular_letter"].startswith("sha256:")


def test_the_next_clerk_sees_the_case_data_and_downloads_its_attachment(
    expert: Pages, demo: Demo, pages: Callable[[], Pages]
) -> None:
    platform, seeded = demo
    upload = [("circular_letter", (io.BytesIO(PDF), "بخشنامه.pdf", "application/pdf"))]
    expert.post(f"/tasks/{seeded.journey_task}", GOOD + upload, content_type="multipart/form-data")
    officer = pages()
    officer.sign_in("budget_a")
    draft = task_of(platform, "budget_a", seeded.journey_instance)
    html = officer.html(f"/tasks/{draft}")
    assert "<dt>سال مالی</dt>" in html and "<dd>۱۴۰۶</dd>" in html
    link = re.search(rf'href="(/tasks/{draft}/files/sha256:[0-9a-f]+)">بخشنامه.pdf</a>', html)
    assert link, "the circular letter is listed with its name"
    response = officer.get(link.group(1))
    assert response.status_code == 200 and response.get_data() == PDF
    assert response.mimetype == "application/pdf"
    assert officer.get(f"/tasks/{draft}/files/sha256:{'0' * 64}").status_code == 404


def test_an_upload_of_a_type_the_field_does_not_accept_is_an_inline_error(expert: Pages, demo: Demo) -> None:
    gif = [("circular_letter", (io.BytesIO(b"GIF89a....."), "x.gif", "image/gif"))]
    response = expert.post(f"/tasks/{demo[1].journey_task}", GOOD + gif, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert 'data-path="circular_letter"' in html and "این نوع پرونده برای این فیلد پذیرفته نیست" in html
    assert demo[0].tasks("expert_1", instance_id=demo[1].journey_instance)  # not completed


def test_an_uploaded_file_is_kept_when_the_form_comes_back_with_errors(expert: Pages, demo: Demo) -> None:
    task = demo[1].journey_task
    upload = [("circular_letter", (io.BytesIO(PDF), "نامه.pdf", "application/pdf"))]
    html = expert.post(
        f"/tasks/{task}", replaced(GOOD, fiscal_year="") + upload, content_type="multipart/form-data"
    ).get_data(as_text=True)
    kept = re.search(r'name="circular_letter__ref" value="(sha256:[0-9a-f]{64})"', html)
    assert kept and "نامه.pdf" in html
    expert.post(f"/tasks/{task}", [*GOOD, ("circular_letter__ref", kept.group(1))])
    [completed] = [e for e in demo[0].history(demo[1].journey_instance) if e["kind"] == "completed"]
    assert completed["data"]["submitted"]["circular_letter"] == kept.group(1)


def test_an_unclaimed_task_shows_a_disabled_form_and_a_claim_button(
    pages: Callable[[], Pages], demo: Demo
) -> None:
    clerk = pages()
    clerk.sign_in("expert_1")
    html = clerk.html(f"/tasks/{demo[1].journey_task}")
    assert 'id="claim"' in html and "<fieldset disabled>" in html
    clerk.post(f"/tasks/{demo[1].journey_task}/claim")
    html = clerk.html(f"/tasks/{demo[1].journey_task}")
    assert 'id="unclaim"' in html and "<fieldset >" in html
    clerk.post(f"/tasks/{demo[1].journey_task}/unclaim")
    assert demo[0].tasks("expert_1", instance_id=demo[1].journey_instance)[0]["assignee"] is None


def test_referring_carries_the_note_and_the_draft_to_the_colleague(
    expert: Pages, demo: Demo, pages: Callable[[], Pages]
) -> None:
    task = demo[1].journey_task
    typed = replaced(GOOD, fiscal_year="۱۴۰۷")
    response = expert.post(
        f"/tasks/{task}/refer", [*typed, ("_to_user", "expert_2"), ("_refer_note", "بررسی شود")]
    )
    assert response.headers["Location"] == "/inbox"
    assert expert.get(f"/tasks/{task}").status_code == 404  # no longer in expert_1's inbox
    colleague = pages()
    colleague.sign_in("expert_2")
    html = colleague.html(f"/tasks/{task}")
    assert "بررسی شود" in html and 'id="draft-note"' in html and 'value="۱۴۰۷"' in html
    assert 'id="return-panel"' in html
    colleague.post(f"/tasks/{task}/return", [("_return_note", "سال درست نیست")])
    back = demo[0].tasks("expert_1", instance_id=demo[1].journey_instance)[0]
    assert back["assignee"] == "expert_1" and back["referrals"][-1]["note"] == "سال درست نیست"


def test_referring_to_a_unit_or_to_no_one(expert: Pages, demo: Demo) -> None:
    task = demo[1].journey_task
    expert.post(f"/tasks/{task}/refer", [("_to_user", ""), ("_to_unit", "")])
    assert "کار را یا به یک نفر ارجاع دهید یا به یک واحد" in expert.html(f"/tasks/{task}")
    expert.post(f"/tasks/{task}/refer", [("_to_unit", "farmandari-a"), ("_refer_note", "برای فرمانداری")])
    row = demo[0].tasks("farmandar", instance_id=demo[1].journey_instance)
    assert row == [] or row[0]["org_unit"] == "farmandari-a"
    assert demo[0].history(demo[1].journey_instance)[-1]["kind"] == "referred"


def test_a_saved_draft_is_shown_again_and_dropped_on_completion(expert: Pages, demo: Demo) -> None:
    task = demo[1].journey_task
    expert.post(f"/tasks/{task}/draft", replaced(GOOD, circular="پیش‌نویس"))
    html = expert.html(f"/tasks/{task}")
    assert 'id="draft-note"' in html and 'value="پیش‌نویس"' in html
    expert.post(f"/tasks/{task}", GOOD)
    from engine.store.web_models import TaskDraft

    with demo[0].store.reading() as tx:
        assert tx.get(TaskDraft, task) is None


def test_the_diagram_data_marks_the_current_step(expert: Pages, demo: Demo) -> None:
    body = expert.get(f"/tasks/{demo[1].journey_task}/diagram").json
    assert body["active"] == ["circular"] and '<bpmn:userTask id="circular"' in body["xml"]
    assert "circular" not in body["done"]


def test_the_history_beside_the_task_is_short_and_newest_first(expert: Pages, demo: Demo) -> None:
    html = expert.html(f"/tasks/{demo[1].journey_task}")
    steps = re.findall(r'<span class="step-kind">([^<]+)</span>', html)
    assert steps == ["برداشتن کار", "آغاز پرونده"]


def test_a_task_completed_by_someone_else_is_a_conflict_naming_them(
    expert: Pages, demo: Demo, pages: Callable[[], Pages]
) -> None:
    platform, seeded = demo
    other = pages()
    other.sign_in("expert_2")
    platform.complete(seeded.journey_task, dict(fiscal_year=1406, circular="1406",
                                                municipalities=[{"unit": "muni-a"}]), actor="expert_1")  # fmt: skip
    response = other.get(f"/tasks/{seeded.journey_task}")
    assert response.status_code == 409 and "به دست expert_1 انجام شده است" in response.get_data(as_text=True)
