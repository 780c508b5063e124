"""Every problem of a submission is reported at once, at its path, in Persian naming the field by its title."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import ValidationError
from forms import AttachmentStore, FormDefinition, SubmissionContext, load_form, validate
from tests.forms.samples import PDF, TITLE

ANYTHING = SubmissionContext()


def form_with(name: str, schema: dict[str, Any], **ui: Any) -> FormDefinition:
    raw = {"title": TITLE, "schema": {"type": "object", "properties": {name: schema}}, "ui": ui}
    return load_form(raw, name="sample.json")


def errors(form: FormDefinition, data: Any, context: SubmissionContext = ANYTHING) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        validate(form, data, context=context)
    assert caught.value.status == 400 and caught.value.code == "validation_failed"
    return list(caught.value.details)


def only(form: FormDefinition, data: Any) -> dict[str, Any]:
    found = errors(form, data)
    assert len(found) == 1, found
    return found[0]


# keyword, field schema, bad value, Persian message
KEYWORDS = [
    ("type", {"type": "integer"}, "ده", "«فیلد» باید عدد صحیح باشد."),
    ("minimum", {"type": "integer", "minimum": 10}, 9, "«فیلد» نباید کمتر از ۱۰ باشد."),
    ("maximum", {"type": "integer", "maximum": 1500}, 1501, "«فیلد» نباید بیشتر از ۱۵۰۰ باشد."),
    ("maximum", {"type": "integer", "maximum": 25000}, 25001, "«فیلد» نباید بیشتر از ۲۵٬۰۰۰ باشد."),
    ("exclusiveMinimum", {"type": "number", "exclusiveMinimum": 0}, 0, "«فیلد» باید بیشتر از ۰ باشد."),
    ("exclusiveMaximum", {"type": "number", "exclusiveMaximum": 2.5}, 3, "«فیلد» باید کمتر از ۲٫۵ باشد."),
    ("enum", {"type": "string", "enum": ["a", "b"]}, "c", "«فیلد» باید یکی از این گزینه‌ها باشد: «a»، «b»."),
    ("const", {"type": "string", "const": "yes"}, "no", "«فیلد» باید «yes» باشد."),
    ("minLength", {"type": "string", "minLength": 5}, "کوتاه"[:3], "«فیلد» باید دست‌کم ۵ نویسه باشد."),
    ("maxLength", {"type": "string", "maxLength": 2}, "بلند", "«فیلد» نباید بیش از ۲ نویسه باشد."),
    ("pattern", {"type": "string", "pattern": "^[0-9]+/[0-9]+$"}, "12-3", "«فیلد» به شکل خواسته‌شده نیست."),
    (
        "format",
        {"type": "string", "format": "jalali-date"},
        "1402/12/30",
        "«فیلد» باید تاریخ شمسی درستی به شکل ۱۴۰۳/۰۱/۱۵ باشد.",
    ),
    (
        "minItems",
        {"type": "array", "minItems": 2, "items": {"type": "object", "properties": {}}},
        [{}],
        "«فیلد» باید دست‌کم ۲ ردیف داشته باشد.",
    ),
    (
        "maxItems",
        {"type": "array", "maxItems": 1, "items": {"type": "object", "properties": {}}},
        [{}, {}],
        "«فیلد» نباید بیش از ۱ ردیف داشته باشد.",
    ),
    (
        "uniqueItems",
        {
            "type": "array",
            "uniqueItems": True,
            "items": {"type": "object", "properties": {"n": {"type": "integer"}}},
        },
        [{"n": 1}, {"n": 1}],
        "ردیف‌های «فیلد» نباید تکراری باشند.",
    ),
]


@pytest.mark.parametrize(("keyword", "schema", "value", "persian"), KEYWORDS, ids=[k[0] for k in KEYWORDS])
def test_each_keyword_has_a_persian_message_naming_the_field(
    keyword: str, schema: dict[str, Any], value: Any, persian: str
) -> None:
    form = form_with("f", {**schema, "title": "فیلد"}, fields={"f": {"label_en": "Field"}})
    detail = only(form, {"f": value})
    assert detail["path"] == "f" and detail["rule"] == keyword
    assert detail["message"]["fa"] == persian
    assert detail["message"]["en"].startswith("'Field' ")


def test_a_missing_required_field_is_reported_at_its_own_path() -> None:
    raw = {
        "title": TITLE,
        "schema": {
            "type": "object",
            "required": ["letter_no", "sender"],
            "properties": {
                "letter_no": {"type": "string", "title": "شماره نامه"},
                "sender": {"type": "string", "title": "فرستنده"},
            },
        },
    }
    form = load_form(raw, name="register.json")
    found = errors(form, {"sender": "فرمانداری"})
    assert found == [
        {
            "path": "letter_no",
            "rule": "required",
            "message": {"fa": "«شماره نامه» الزامی است.", "en": "'شماره نامه' is required."},
        }
    ]


def test_a_rial_limit_is_written_with_the_persian_separator_and_the_unit() -> None:
    form = form_with("amount", {"type": "integer", "format": "rial", "minimum": 1000000, "title": "مبلغ"})
    detail = only(form, {"amount": "۵۰۰"})
    assert detail["message"]["fa"] == "«مبلغ» نباید کمتر از ۱٬۰۰۰٬۰۰۰ ریال باشد."
    assert detail["message"]["en"] == "'مبلغ' must be at least 1,000,000."


def test_a_negative_rial_amount_is_reported_once_when_a_minimum_says_the_same() -> None:
    form = form_with("amount", {"type": "integer", "format": "rial", "minimum": 0, "title": "مبلغ"})
    assert only(form, {"amount": -5})["rule"] == "minimum"
    bare = form_with("amount", {"type": "integer", "format": "rial", "title": "مبلغ"})
    assert only(bare, {"amount": -5})["rule"] == "format"


def test_enum_messages_use_the_choice_labels(every_kind: FormDefinition) -> None:
    found = errors(every_kind, {"subject": "موضوع", "amount": 1, "decision": "maybe"})
    assert found[0]["message"]["fa"] == "«رأی» باید یکی از این گزینه‌ها باشد: «تأیید»، «رد»."
    assert found[0]["message"]["en"] == "'رأی' must be one of: 'Confirm', 'رد'."


def test_a_table_cell_is_reported_at_its_path_and_named_with_its_row(budget: FormDefinition) -> None:
    data = {
        "resources": [{"title": "الف", "amount": 5}],
        "uses": [{"title": "ب", "amount": 2}, {"title": "ج"}],
    }
    found = errors(budget, data)
    assert [(d["path"], d["rule"]) for d in found] == [("uses/1/amount", "required")]
    assert found[0]["message"] == {
        "fa": "«مبلغ» در ردیف ۲ از «مصارف» الزامی است.",
        "en": "'Amount' in row 2 of 'Uses' is required.",
    }


def test_a_whole_row_of_the_wrong_shape_is_named_as_a_row(budget: FormDefinition) -> None:
    found = errors(budget, {"resources": ["نه"], "uses": [{"title": "ب", "amount": 2}]})
    assert found[0]["path"] == "resources/0"
    assert found[0]["message"]["fa"] == "ردیف ۱ از «منابع» باید مجموعه‌ای از فیلدها باشد."


def test_every_error_is_reported_at_once_sorted_by_path_with_rows_in_numeric_order(
    budget: FormDefinition,
) -> None:
    rows = [{"title": "ردیف", "amount": 1} for _ in range(11)]
    rows[10]["amount"] = -1
    rows[2]["amount"] = "سه"
    data = {"resources": rows, "uses": [{"amount": 1}]}
    found = errors(budget, data)
    assert [(d["path"], d["rule"]) for d in found] == [
        ("resources/2/amount", "type"),
        ("resources/10/amount", "minimum"),
        ("uses/0/title", "required"),
    ]


def test_the_error_message_counts_the_problems_in_persian(budget: FormDefinition) -> None:
    with pytest.raises(ValidationError) as caught:
        validate(budget, {}, context=ANYTHING)
    assert caught.value.message.startswith("فرم «بودجه» ۲ ایراد دارد")
    assert "traceback" not in str(caught.value.to_dict()).lower()


def test_a_submission_that_is_not_an_object_is_refused(budget: FormDefinition) -> None:
    detail = errors(budget, ["not", "a", "form"])[0]
    assert detail["path"] == "" and detail["rule"] == "type"


# -- each kind, valid and invalid ------------------------------------------------------------------

VALID = {
    "subject": "درخواست بررسی",
    "body": "متن\nبلند",
    "count": 3,
    "amount": 12500,
    "date": "1403/12/30",
    "decision": "confirm",
    "owner": "ali",
    "unit": "gov",
    "urgent": True,
    "lines": [{"title": "الف", "amount": 0}],
}
INVALID = [
    ("subject", "دو", "minLength"),
    ("body", 12, "type"),
    ("count", 11, "maximum"),
    ("amount", 2.5, "type"),
    ("date", "1402/12/30", "format"),
    ("decision", "amend", "enum"),
    ("owner", "nobody", "format"),
    ("unit", "muni-z", "format"),
    ("scan", "sha256:" + "0" * 64, "format"),
    ("urgent", "yes", "type"),
    ("lines", [{"title": "الف"}], "required"),
]


def context_for(store: AttachmentStore) -> SubmissionContext:
    return SubmissionContext(
        user_exists={"ali"}.__contains__, unit_exists={"gov"}.__contains__, attachment_exists=store.exists
    )


def test_every_kind_accepts_a_valid_value(every_kind: FormDefinition, store: AttachmentStore) -> None:
    ref = store.put(PDF, filename="scan.pdf", content_type="application/pdf")
    data = {**VALID, "scan": ref}
    assert validate(every_kind, data, context=context_for(store)) == data


@pytest.mark.parametrize(("field", "value", "rule"), INVALID, ids=[i[0] for i in INVALID])
def test_every_kind_refuses_an_invalid_value(
    every_kind: FormDefinition, store: AttachmentStore, field: str, value: Any, rule: str
) -> None:
    found = errors(every_kind, {**VALID, field: value}, context_for(store))
    assert [(d["path"].split("/")[0], d["rule"]) for d in found] == [(field, rule)]
    assert every_kind.properties[field]["title"] in found[0]["message"]["fa"]
