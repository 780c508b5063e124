"""Form files load when they follow processes/README.md and are refused, with every problem listed, when not."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from engine.errors import DefinitionError
from forms import FormDefinition, load_form
from tests.forms.samples import MESSAGE, TITLE, budget_raw, every_kind_raw

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(ROOT.glob("processes/*/forms/*.json"))


def refusal(raw: Any, name: str = "bad.json") -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        load_form(raw, name=name)
    return caught.value


def problems(raw: Any) -> dict[str, str]:
    error = refusal(raw)
    assert all(detail["form"] == "bad.json" for detail in error.details)
    return {detail["path"]: detail["message"] for detail in error.details}


def with_check(rule: str, **extra: Any) -> dict[str, Any]:
    raw = budget_raw()
    raw["checks"] = [{"id": "c1", "rule": rule, "path": "uses", "message": MESSAGE, **extra}]
    return raw


def test_the_library_ships_forms_to_load() -> None:
    assert len(SHIPPED) >= 6


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_shipped_form_loads(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    form = load_form(raw, name=path.name)
    assert form.name == path.name
    assert form.title["fa"] and form.title["en"]
    assert set(form.properties) == set(raw["schema"]["properties"])


def test_a_loaded_form_keeps_a_private_copy_of_the_raw_file_and_is_frozen() -> None:
    raw = budget_raw()
    form = load_form(raw, name="budget.json")
    raw["schema"]["properties"].clear()
    assert form.raw == budget_raw()
    assert [check.id for check in form.checks] == ["balanced"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        form.name = "other.json"  # type: ignore[misc]


def test_the_sample_with_every_kind_loads() -> None:
    assert isinstance(load_form(every_kind_raw(), name="every_kind.json"), FormDefinition)


def test_an_invalid_schema_is_refused_at_its_path() -> None:
    raw = every_kind_raw()
    raw["schema"]["properties"]["subject"]["type"] = "strnig"
    raw["schema"]["properties"]["body"]["pattern"] = "(["
    found = problems(raw)
    assert "schema/properties/subject/type" in found
    assert "regex" in found["schema/properties/body/pattern"]


def test_a_ui_order_naming_a_missing_field_is_refused_with_a_hint() -> None:
    raw = every_kind_raw()
    raw["ui"]["order"] = ["date", "subjet"]
    error = refusal(raw)
    assert error.details == [
        {
            "form": "bad.json",
            "path": "ui/order/1",
            "message": "names field 'subjet', which the schema does not declare; did you mean 'subject'?",
        }
    ]
    assert "ui/order/1" in error.message


def test_ui_hints_for_a_missing_field_and_a_repeated_order_entry_are_refused() -> None:
    raw = every_kind_raw()
    raw["ui"]["order"] = ["date", "date"]
    raw["ui"]["fields"]["nothing"] = {"label_en": "Nothing"}
    assert set(problems(raw)) == {"ui/order", "ui/fields/nothing"}


def test_a_check_using_import_is_refused_by_the_sandbox() -> None:
    found = problems(with_check("__import__('os').system('true') == 0"))
    assert "sandbox" in found["checks/0/rule"] and "__import__" in found["checks/0/rule"]


def test_a_check_walking_dunder_attributes_is_refused() -> None:
    found = problems(with_check("().__class__.__bases__[0].__subclasses__() == []"))
    assert "reserved" in found["checks/0/rule"]


def test_a_check_that_is_a_statement_is_refused() -> None:
    found = problems(with_check("while True: pass"))
    assert "syntax" in found["checks/0/rule"]


def test_a_check_reading_an_unknown_name_is_refused_with_a_hint() -> None:
    found = problems(with_check("sum_of(resorces, 'amount') > 0"))
    assert (
        found["checks/0/rule"] == "uses 'resorces', which is not a field or helper; did you mean 'resources'?"
    )


def test_a_check_may_bind_its_own_names_in_comprehensions() -> None:
    form = load_form(with_check("all(row['amount'] > 0 for row in uses)"), name="ok.json")
    assert form.checks[0].rule.startswith("all(")


def test_an_incomplete_check_lists_each_missing_part() -> None:
    raw = budget_raw()
    raw["checks"] = [{"id": "c1", "rule": "True", "message": {"fa": "الف"}, "when": "x"}]
    assert set(problems(raw)) == {"checks/0/path", "checks/0/message/en", "checks/0/when"}


def test_a_check_shown_at_a_missing_field_and_a_repeated_check_id_are_refused() -> None:
    raw = with_check("True", path="usez")
    raw["checks"].append({"id": "c1", "rule": "True", "path": "", "message": MESSAGE})
    found = problems(raw)
    assert "did you mean 'uses'" in found["checks/0/path"]
    assert "used twice" in found["checks/1/id"]


def test_titles_must_be_given_in_both_languages() -> None:
    raw = budget_raw()
    raw["title"] = {"fa": "بودجه", "en": "  "}
    assert set(problems(raw)) == {"title/en"}


def test_a_misspelt_format_is_refused_rather_than_accepting_anything() -> None:
    raw = every_kind_raw()
    raw["schema"]["properties"]["date"]["format"] = "jalali_date"
    found = problems(raw)
    assert "did you mean 'jalali-date'" in found["schema/properties/date/format"]


def test_references_outside_the_form_are_refused() -> None:
    raw = every_kind_raw()
    raw["schema"]["properties"]["owner"] = {"$ref": "https://example.org/user.json", "title": "کاربر"}
    found = problems(raw)
    assert "schema/properties/owner/$ref" in found


def test_a_property_no_field_kind_fits_is_refused() -> None:
    raw = every_kind_raw()
    raw["schema"]["properties"]["address"] = {"type": "object", "title": "نشانی"}
    raw["schema"]["properties"]["lines"]["items"]["properties"]["tags"] = {"type": "array", "items": {}}
    found = problems(raw)
    assert set(found) == {"schema/properties/address", "schema/properties/lines/items/properties/tags"}


def test_a_field_named_like_a_check_helper_is_refused_when_the_form_has_checks() -> None:
    raw = budget_raw()
    raw["schema"]["properties"]["sum_of"] = {"type": "integer", "title": "جمع"}
    assert "helper" in problems(raw)["schema/properties/sum_of"]


def test_the_schema_must_describe_an_object() -> None:
    raw = {"title": TITLE, "schema": {"type": "array"}}
    assert set(problems(raw)) == {"schema/type"}


def test_an_unknown_top_level_key_is_refused() -> None:
    raw = budget_raw()
    raw["check"] = raw.pop("checks")
    assert set(problems(raw)) == {"check"}


def test_several_problems_are_reported_together_and_counted_in_the_message() -> None:
    raw = budget_raw()
    raw["title"] = {"fa": "بودجه"}
    raw["ui"] = {"order": ["nothing"]}
    raw["checks"][0]["rule"] = "import os"
    error = refusal(raw)
    assert [d["path"] for d in error.details] == ["title/en", "ui/order/0", "checks/0/rule"]
    assert "(and 2 more)" in error.message
    assert error.to_dict()["code"] == "definition_invalid"


@pytest.mark.parametrize("raw", [[], "form", None])
def test_a_form_that_is_not_an_object_is_refused(raw: Any) -> None:
    assert refusal(raw).details[0]["path"] == ""


def test_table_hints_name_only_its_columns_and_labels_only_real_choices() -> None:
    raw = every_kind_raw()
    raw["ui"]["fields"]["lines"] = {"order": ["amount", "titel"], "columns": {"sum": {"label_en": "Sum"}}}
    raw["ui"]["fields"]["decision"]["labels"]["maybe"] = "شاید"
    found = problems(raw)
    assert set(found) == {
        "ui/fields/lines/order/1",
        "ui/fields/lines/columns/sum",
        "ui/fields/decision/labels/maybe",
    }
    assert "did you mean 'title'" in found["ui/fields/lines/order/1"]
