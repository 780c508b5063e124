"""Every field kind of a form is drawn as its control, and what a browser posts comes back as the data
the schema describes (choices keep their type, check boxes are booleans, blank table rows go away)."""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path
from types import SimpleNamespace

from flask import Flask, render_template_string
from werkzeug.datastructures import FileStorage, MultiDict

import forms
from webui.people import Option
from webui.tasks import submission

FORM = forms.load_form(
    {
        "title": {"fa": "همه‌چیز", "en": "Everything"},
        "schema": {
            "type": "object",
            "required": ["amount"],
            "properties": {
                "amount": {"type": "integer", "format": "rial", "title": "مبلغ"},
                "kind": {"type": "integer", "enum": [1, 2], "title": "نوع"},
                "urgent": {"type": "boolean", "title": "فوری"},
                "reviewer": {"type": "string", "format": "user", "title": "بررسی‌کننده"},
                "unit": {"type": "string", "format": "unit", "title": "واحد"},
                "story": {"type": "string", "title": "شرح", "ui": {"widget": "textarea"}},
                "scan": {"type": "string", "format": "attachment", "title": "پیوست"},
                "lines": {
                    "type": "array",
                    "title": "ردیف‌ها",
                    "items": {"type": "object", "properties": {"what": {"type": "string", "title": "شرح"},
                                                              "cost": {"type": "integer", "format": "rial", "title": "هزینه"}}},
                },
            },
        },
        "ui": {"fields": {"kind": {"labels": {"1": {"fa": "جاری", "en": "Current"}, "2": {"fa": "عمرانی", "en": "Capital"}}}}},
    },
    name="everything.json",
)  # fmt: skip
FIELDS = forms.fields(FORM)
PAGE = SimpleNamespace(units=[Option("muni-a", "شهرداری الف")], attachments={}, errors={}, values={})


def drawn(app: Flask, **values: object) -> str:
    page = SimpleNamespace(**{**vars(PAGE), "values": values})
    source = '{% from "tasks/fields.html" import field_block %}{% for f in fields %}{{ field_block(f, page) }}{% endfor %}'
    with app.test_request_context():
        return render_template_string(source, fields=FIELDS, page=page)


def test_each_kind_is_drawn_as_its_control(app: Flask) -> None:
    html = drawn(
        app, amount="1200", kind="2", urgent=True, unit="muni-a", lines=[{"what": "آسفالت", "cost": "5"}]
    )
    assert (
        '<span class="unit">ریال</span>' in html
        and 'value="1200" inputmode="numeric" class="num amount"' in html
    )
    assert '<option value="2" selected>عمرانی</option>' in html and '<option value="1" >جاری</option>' in html
    assert '<input type="checkbox" id="f-urgent" name="urgent" checked> فوری</label>' in html
    assert 'list="people-list"' in html and '<option value="muni-a" selected>شهرداری الف</option>' in html
    assert '<textarea id="f-story" name="story"' in html and 'type="file" id="f-scan" name="scan"' in html
    assert re.search(r'name="lines\.0\.what" aria-labelledby="h-lines-what" value="آسفالت"', html)
    assert re.search(r'name="lines\.1\.what" aria-labelledby="h-lines-what" value=""', html)


def test_posted_fields_become_the_forms_data(tmp_path: Path) -> None:
    posted = submission.read(
        FIELDS,
        MultiDict([("amount", "۱٬۲۰۰"), ("kind", "2"), ("urgent", "on"), ("reviewer", ""), ("unit", "muni-a"),
                   ("lines.0.what", "آسفالت"), ("lines.0.cost", "5"), ("lines.3.what", ""), ("lines.3.cost", " "),
                   ("lines.7.what", "جدول"), ("lines.x.what", "ignored"), ("other", "dropped")]),
        MultiDict([("scan", FileStorage(io.BytesIO(b"%PDF-1.4 x"), filename="a.pdf", content_type="application/pdf"))]),
        forms.AttachmentStore(tmp_path),
    )  # fmt: skip
    assert posted.errors == {}
    assert posted.data["amount"] == "۱٬۲۰۰"  # cleaned by forms.validate, not here
    assert posted.data["kind"] == 2 and posted.data["urgent"] is True and "reviewer" not in posted.data
    assert posted.data["lines"] == [{"what": "آسفالت", "cost": "5"}, {"what": "جدول"}]
    assert posted.data["scan"].startswith("sha256:") and posted.values["scan"] == posted.data["scan"]
    assert "other" not in posted.data and posted.values["lines"][1] == {"what": "جدول"}


def test_an_unchecked_box_is_false_and_an_unknown_choice_is_left_for_validation(tmp_path: Path) -> None:
    posted = submission.read(FIELDS, MultiDict([("kind", "9")]), MultiDict(), forms.AttachmentStore(tmp_path))
    assert posted.data["urgent"] is False and posted.data["kind"] == "9"


def test_a_table_shows_its_least_rows_and_carries_its_most_for_the_add_button(app: Flask) -> None:
    bounded = {**FORM.raw, "schema": copy.deepcopy(FORM.raw["schema"])}
    bounded["schema"]["properties"]["lines"].update(minItems=3, maxItems=5)
    page = SimpleNamespace(**{**vars(PAGE), "values": {"lines": [{"what": "آسفالت"}]}})
    source = '{% from "tasks/fields.html" import table %}{{ table(f, page.values["lines"], {}, page) }}'
    [lines] = [f for f in forms.fields(forms.load_form(bounded, name="b.json")) if f.name == "lines"]
    with app.test_request_context():
        html = render_template_string(source, f=lines, page=page)
    assert 'data-min-rows="3" data-max-rows="5"' in html
    rows = re.findall(r'name="lines\.(\d+)\.what"', html)
    assert rows == ["0", "1", "2"]  # the typed row and two blank ones
    assert 'value="آسفالت"' in html
