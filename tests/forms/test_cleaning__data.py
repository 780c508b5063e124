"""Submitted data is cleaned as its fields' kinds before validation: Persian text, typed numbers, no strays."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import ValidationError
from forms import FormDefinition, SubmissionContext, load_form, validate
from tests.forms.samples import TITLE, every_kind_raw

ANYTHING = SubmissionContext()


def form_with(properties: dict[str, Any], **schema: Any) -> FormDefinition:
    raw = {"title": TITLE, "schema": {"type": "object", "properties": properties, **schema}}
    return load_form(raw, name="sample.json")


def test_text_fields_get_persian_letters_and_single_spaces(every_kind: FormDefinition) -> None:
    cleaned = validate(every_kind, {"subject": "  شكايت   علي ", "amount": 1}, context=ANYTHING)
    assert cleaned["subject"] == "شکایت علی"


def test_long_text_keeps_its_lines(every_kind: FormDefinition) -> None:
    data = {"subject": "موضوع", "amount": 1, "body": "بند يك\r\n  بند دو  "}
    assert validate(every_kind, data, context=ANYTHING)["body"] == "بند یک\nبند دو"


def test_amounts_typed_with_persian_digits_and_separators_become_ints(every_kind: FormDefinition) -> None:
    data = {
        "subject": "موضوع",
        "amount": "۱٬۲۵۰٬۰۰۰",
        "count": "٣",
        "lines": [{"title": "الف", "amount": "۵۰۰"}],
    }
    cleaned = validate(every_kind, data, context=ANYTHING)
    assert cleaned["amount"] == 1250000
    assert cleaned["count"] == 3
    assert cleaned["lines"] == [{"title": "الف", "amount": 500}]


def test_jalali_dates_in_persian_digits_become_ascii(every_kind: FormDefinition) -> None:
    data = {"subject": "موضوع", "amount": 1, "date": "۱۴۰۳/۱/۱۵"}
    assert validate(every_kind, data, context=ANYTHING)["date"] == "1403/01/15"


def test_a_whole_float_in_an_integer_field_becomes_an_int(every_kind: FormDefinition) -> None:
    cleaned = validate(every_kind, {"subject": "موضوع", "amount": 5.0}, context=ANYTHING)
    assert cleaned["amount"] == 5 and isinstance(cleaned["amount"], int)


def test_undeclared_fields_are_dropped_so_they_never_reach_the_case_data(every_kind: FormDefinition) -> None:
    data = {
        "subject": "موضوع",
        "amount": 1,
        "approved": True,
        "lines": [{"title": "الف", "amount": 1, "x": 2}],
    }
    cleaned = validate(every_kind, data, context=ANYTHING)
    assert "approved" not in cleaned
    assert cleaned["lines"] == [{"title": "الف", "amount": 1}]


def test_a_schema_that_allows_additional_fields_keeps_them() -> None:
    form = form_with({"name": {"type": "string", "title": "نام"}}, additionalProperties=True)
    assert validate(form, {"name": "علي", "extra": "ي"}, context=ANYTHING) == {"name": "علی", "extra": "ي"}


def test_a_schema_that_forbids_additional_fields_reports_each_one() -> None:
    form = form_with({"name": {"type": "string", "title": "نام"}}, additionalProperties=False)
    with pytest.raises(ValidationError) as caught:
        validate(form, {"name": "الف", "b": 1, "a": 2}, context=ANYTHING)
    assert [(d["path"], d["rule"]) for d in caught.value.details] == [
        ("a", "additionalProperties"),
        ("b", "additionalProperties"),
    ]
    assert caught.value.details[0]["message"]["fa"] == "«a» در این فرم تعریف نشده است."


@pytest.mark.parametrize("blank", ["", "   ", None, "\u200c"])
def test_a_blank_required_field_is_reported_as_missing_not_as_the_wrong_type(blank: Any) -> None:
    raw = every_kind_raw()
    form = load_form(raw, name="every_kind.json")
    with pytest.raises(ValidationError) as caught:
        validate(form, {"subject": "موضوع", "amount": blank}, context=ANYTHING)
    assert [(d["path"], d["rule"]) for d in caught.value.details] == [("amount", "required")]


def test_blank_optional_fields_are_left_out(every_kind: FormDefinition) -> None:
    data = {"subject": "موضوع", "amount": 1, "date": " ", "body": ""}
    assert validate(every_kind, data, context=ANYTHING) == {"subject": "موضوع", "amount": 1}


def test_null_is_kept_where_the_schema_allows_it() -> None:
    form = form_with({"note": {"type": ["string", "null"], "title": "یادداشت"}})
    assert validate(form, {"note": None}, context=ANYTHING) == {"note": None}


def test_an_amount_that_is_not_a_number_stays_as_typed_for_the_error() -> None:
    form = form_with({"amount": {"type": "integer", "format": "rial", "title": "مبلغ"}})
    with pytest.raises(ValidationError) as caught:
        validate(form, {"amount": " ۱۲ هزار "}, context=ANYTHING)
    assert caught.value.details[0]["rule"] == "type"


def test_the_submission_itself_is_not_changed(every_kind: FormDefinition) -> None:
    data = {"subject": "علي", "amount": "۱۰", "lines": [{"title": "ي", "amount": "۱"}]}
    validate(every_kind, data, context=ANYTHING)
    assert data == {"subject": "علي", "amount": "۱۰", "lines": [{"title": "ي", "amount": "۱"}]}
