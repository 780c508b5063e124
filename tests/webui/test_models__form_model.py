"""The form builder's model and the form it stands for: every shipped form comes back unchanged from its
model (tables, their column order, English labels, checks and all), a table added in the builder is a
JSON Schema array of objects that the forms layer loads and validates submissions against, and a model
that cannot be a form is refused with the reason in Persian."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import forms
from engine.errors import InvalidInput, ValidationError
from webui.models.form_model import form_of, model_of

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "processes").glob("*/forms/*.json"))
REGISTER = ROOT / "processes/resolution_follow_up/forms/register.json"
ANYTHING = forms.SubmissionContext()


def read(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def through_the_browser(model: dict[str, Any]) -> dict[str, Any]:
    """The model as the page gets it and posts it back: JSON both ways."""
    posted: dict[str, Any] = json.loads(json.dumps(model))
    return posted


def field(model: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in model["fields"] if f["name"] == name)


def new_field(name: str, kind: str, title: str, **more: Any) -> dict[str, Any]:
    """A field as the builder's "+" buttons make it, then filled in."""
    blank = {"name": name, "kind": kind, "title": title, "required": False, "min": "", "max": "",
             "choices": "", "columns": [], "schema": {}, "hints": {}}  # fmt: skip
    return {**blank, **more}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_shipped_form_comes_back_unchanged_from_its_model(path: Path) -> None:
    form = read(path)
    assert form_of(through_the_browser(model_of(form))) == form


def test_a_table_is_modelled_as_its_columns_in_order_with_its_least_rows() -> None:
    items = field(model_of(read(REGISTER)), "items")
    assert (items["kind"], items["title"], items["min"], items["max"]) == ("table", "تکالیف", "1", "")
    columns = [(c["name"], c["kind"], c["title"], c["required"], c["max"]) for c in items["columns"]]
    assert columns == [
        ("unit", "unit", "واحد مسئول", True, ""),
        ("task", "text", "تکلیف", True, "600"),
        ("deadline", "jalali-date", "مهلت", True, ""),
    ]


def test_a_table_added_in_the_builder_is_an_array_of_objects_the_validator_uses() -> None:
    model = through_the_browser(model_of(read(REGISTER)))
    columns = [
        new_field("item", "text", "شرح هزینه", required=True, max="۲۰۰"),
        new_field("cost", "rial", "مبلغ", required=True, min="0"),
    ]
    model["fields"].append(new_field("costs", "table", "هزینه‌ها", min="۱", max="3", columns=columns))
    form = form_of(model)

    costs = form["schema"]["properties"]["costs"]
    assert costs == {
        "type": "array",
        "title": "هزینه‌ها",
        "minItems": 1,
        "maxItems": 3,
        "items": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "item": {"type": "string", "title": "شرح هزینه", "maxLength": 200},
                "cost": {"type": "integer", "format": "rial", "title": "مبلغ", "minimum": 0},
            },
            "required": ["item", "cost"],
        },
    }
    assert form["ui"]["order"][-1] == "costs"  # the form keeps its explicit order, now with the table
    loaded = forms.load_form(form, name="register.json")
    [drawn] = [f for f in forms.fields(loaded) if f.name == "costs"]
    assert (drawn.kind, [c.name for c in drawn.columns]) == ("table", ["item", "cost"])

    data = {**FILLED, "costs": [{"item": "چاپ صورت‌جلسه", "cost": 1_250_000}]}
    assert forms.validate(loaded, data, context=ANYTHING)["costs"] == data["costs"]
    for rows in ([], [{"item": "یک", "cost": 1}] * 4, [{"item": "بی‌مبلغ"}]):
        with pytest.raises(ValidationError):
            forms.validate(loaded, {**FILLED, "costs": rows}, context=ANYTHING)


FILLED = {
    "meeting_no": 12,
    "meeting_date": "1404/12/01",
    "subject": "بودجهٔ ۱۴۰۵",
    "items": [{"unit": "muni-a", "task": "تهیهٔ گزارش", "deadline": "1404/12/08"}],
}


def test_editing_and_removing_columns_rewrites_the_table_and_keeps_what_the_builder_does_not_edit() -> None:
    model = through_the_browser(model_of(read(REGISTER)))
    items = field(model, "items")
    task = next(c for c in items["columns"] if c["name"] == "task")
    task.update(kind="textarea", title="شرح تکلیف", required=False, max="")
    items["columns"] = [c for c in items["columns"] if c["name"] != "deadline"]
    items["columns"].reverse()
    form = form_of(model)

    table = form["schema"]["properties"]["items"]
    assert list(table["items"]["properties"]) == ["task", "unit"]
    assert table["items"]["properties"]["task"] == {"type": "string", "title": "شرح تکلیف"}
    assert table["items"]["required"] == ["unit"] and table["items"]["additionalProperties"] is False
    hints = form["ui"]["fields"]["items"]
    assert hints["order"] == ["task", "unit"] and hints["help"]["en"].startswith("One row per item")
    assert hints["columns"] == {
        "task": {"label_en": "Task", "widget": "textarea"},
        "unit": {"label_en": "Responsible unit"},
    }
    assert form["checks"] == read(REGISTER)["checks"]
    with pytest.raises(ValidationError, match="deadline"):  # the removed column is no longer accepted
        forms.validate(forms.load_form(form, name="register.json"), FILLED, context=ANYTHING)


def test_choices_keep_their_values_types_and_english_labels() -> None:
    form = {
        "title": {"fa": "نوع", "en": "Kind"},
        "schema": {
            "type": "object",
            "properties": {"kind": {"type": "integer", "enum": [1, 2], "title": "نوع"}},
        },
        "ui": {"fields": {"kind": {"labels": {"1": {"fa": "جاری", "en": "Current"}, "2": "عمرانی"}}}},
    }
    model = through_the_browser(model_of(form))
    assert field(model, "kind")["choices"] == "1=جاری\n2=عمرانی"
    field(model, "kind")["choices"] = "1=هزینه‌ای\n2=عمرانی\n3=مالی"
    again = form_of(model)
    assert again["schema"]["properties"]["kind"]["enum"] == [1, 2, "3"]  # a new value is text
    assert again["ui"]["fields"]["kind"]["labels"]["1"] == {"fa": "هزینه‌ای", "en": "Current"}


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda m: m["fields"].append(copy.deepcopy(m["fields"][0])), "دو بار آمده است"),
        (lambda m: m["fields"][0].update(name="شماره"), "باید لاتین باشد"),
        (lambda m: m["fields"][0].update(kind="spreadsheet"), "پذیرفته نیست"),
        (lambda m: field(m, "items")["columns"][0].update(kind="table"), "پذیرفته نیست"),
        (lambda m: field(m, "items").update(max="سه"), "باید عدد باشند"),
    ],
    ids=["name twice", "not Latin", "unknown kind", "table in a table", "rows not a number"],
)
def test_a_model_that_cannot_be_a_form_is_refused_with_the_reason(change: Any, said: str) -> None:
    model = through_the_browser(model_of(read(REGISTER)))
    change(model)
    with pytest.raises(InvalidInput, match=said):
        form_of(model)


def test_something_that_is_not_a_model_is_refused() -> None:
    with pytest.raises(InvalidInput, match="model"):
        form_of({"title": {"fa": "فرم"}, "schema": {"type": "object"}})
