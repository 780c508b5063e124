"""A form becomes the list of fields the web UI draws, in order, with kinds, labels, help and choices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.errors import InvalidInput
from forms import Field, FormDefinition, fields, load_form
from forms.fields import Choice

ROOT = Path(__file__).resolve().parents[2]


def by_name(form: FormDefinition, lang: str = "fa") -> dict[str, Field]:
    return {field.name: field for field in fields(form, lang)}


def test_fields_come_in_ui_order_then_in_schema_order(every_kind: FormDefinition) -> None:
    assert [f.name for f in fields(every_kind)] == [
        "date",
        "subject",
        "amount",
        "body",
        "count",
        "decision",
        "owner",
        "unit",
        "scan",
        "urgent",
        "lines",
    ]


def test_each_property_gets_its_kind(every_kind: FormDefinition) -> None:
    kinds = {name: field.kind for name, field in by_name(every_kind).items()}
    assert kinds == {
        "subject": "text",
        "body": "textarea",
        "count": "integer",
        "amount": "rial",
        "date": "jalali-date",
        "decision": "choice",
        "owner": "user",
        "unit": "unit",
        "scan": "attachment",
        "urgent": "boolean",
        "lines": "table",
    }


def test_labels_are_persian_titles_and_english_labels_fall_back_to_them(every_kind: FormDefinition) -> None:
    persian, english = by_name(every_kind, "fa"), by_name(every_kind, "en")
    assert persian["amount"].label == "مبلغ (ریال)"
    assert english["amount"].label == "Amount (Rials)"
    assert english["subject"].label == "موضوع"


def test_help_is_given_in_the_language_asked(every_kind: FormDefinition) -> None:
    assert by_name(every_kind, "fa")["amount"].help == "به ریال"
    assert by_name(every_kind, "en")["amount"].help == "In Rials"
    assert by_name(every_kind)["subject"].help is None


def test_required_fields_are_marked(every_kind: FormDefinition) -> None:
    assert {name for name, field in by_name(every_kind).items() if field.required} == {"subject", "amount"}


def test_choices_carry_their_labels(every_kind: FormDefinition) -> None:
    assert by_name(every_kind, "fa")["decision"].choices == (
        Choice("confirm", "تأیید"),
        Choice("reject", "رد"),
    )
    assert by_name(every_kind, "en")["decision"].choices == (
        Choice("confirm", "Confirm"),
        Choice("reject", "رد"),
    )


def test_a_table_lists_its_columns_in_their_order_with_labels(every_kind: FormDefinition) -> None:
    table = by_name(every_kind, "en")["lines"]
    assert [(c.name, c.kind, c.label, c.required) for c in table.columns] == [
        ("amount", "rial", "Amount", True),
        ("title", "text", "شرح", True),
    ]


def test_an_attachment_field_carries_its_limits(every_kind: FormDefinition) -> None:
    scan = by_name(every_kind)["scan"]
    assert scan.accept == ("application/pdf",) and scan.max_bytes == 1048576


def test_the_field_keeps_its_schema_for_limits(every_kind: FormDefinition) -> None:
    assert by_name(every_kind)["count"].schema["maximum"] == 10


def test_an_unknown_language_is_refused(every_kind: FormDefinition) -> None:
    with pytest.raises(InvalidInput):
        fields(every_kind, "de")


def test_the_shipped_opinion_form_draws_a_choice_and_a_text() -> None:
    path = ROOT / "processes" / "article79_dispute" / "forms" / "opinion.json"
    form = load_form(json.loads(path.read_text(encoding="utf-8")), name=path.name)
    drawn = by_name(form)
    assert drawn["decision"].kind == "choice" and drawn["decision"].required
    assert [c.value for c in drawn["decision"].choices] == ["confirm", "reject", "amend"]
    assert drawn["reasoning"].kind == "text" and drawn["reasoning"].label == "استدلال"
