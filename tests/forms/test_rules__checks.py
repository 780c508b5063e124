"""System checks run in the sandbox over the cleaned data; failures and hostile rules become ValidationErrors."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import ScriptError, ValidationError
from forms import FormDefinition, SubmissionContext, load_form, validate
from forms.rules import count_of, jalali_before, sum_of
from tests.forms.samples import MESSAGE, budget_raw

ANYTHING = SubmissionContext()
BALANCED = {"resources": [{"title": "مالیات", "amount": 700}, {"title": "عوارض", "amount": 300}], "uses": []}


def budget_with(*rules: str) -> FormDefinition:
    raw = budget_raw()
    raw["checks"] += [
        {
            "id": f"extra_{n}",
            "rule": rule,
            "path": "resources",
            "message": {"fa": f"قاعده {n}", "en": f"rule {n}"},
        }
        for n, rule in enumerate(rules)
    ]
    return load_form(raw, name="budget.json")


def data(uses: list[int], resources: tuple[int, ...] = (700, 300)) -> dict[str, Any]:
    return {
        "resources": [{"title": f"منبع {i}", "amount": amount} for i, amount in enumerate(resources)],
        "uses": [{"title": f"مصرف {i}", "amount": amount} for i, amount in enumerate(uses)],
    }


def details(form: FormDefinition, submitted: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        validate(form, submitted, context=ANYTHING)
    return list(caught.value.details)


def test_resources_not_equal_to_uses_fails_at_the_check_path_with_its_message(budget: FormDefinition) -> None:
    assert details(budget, data([600, 300])) == [{"path": "uses", "rule": "balanced", "message": MESSAGE}]


def test_a_balanced_budget_passes_and_comes_back_cleaned(budget: FormDefinition) -> None:
    submitted = data([1000])
    submitted["resources"][0] = {"title": "ماليات", "amount": "۷۰۰"}
    submitted["uses"][0]["amount"] = "١٬٠٠٠"
    cleaned = validate(budget, submitted, context=ANYTHING)
    assert cleaned == {
        "resources": [{"title": "مالیات", "amount": 700}, {"title": "منبع 1", "amount": 300}],
        "uses": [{"title": "مصرف 0", "amount": 1000}],
    }


def test_checks_do_not_run_while_the_schema_is_not_satisfied(budget: FormDefinition) -> None:
    submitted = data([1])
    submitted["uses"][0]["amount"] = -1
    assert [(d["path"], d["rule"]) for d in details(budget, submitted)] == [("uses/0/amount", "minimum")]


def test_every_failing_check_is_reported() -> None:
    form = budget_with("count_of(uses) > 1", "count_of(resources) > 5")
    found = details(form, data([1]))
    assert sorted(d["rule"] for d in found) == ["balanced", "extra_0", "extra_1"]
    assert [d["path"] for d in found] == ["resources", "resources", "uses"]


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("10**10**10 > 0", "too large"),
        ("len('x' * 10**10) > 0", "limit"),
        ("len([n for n in range(10**9)]) > 0", "range"),
        ("sum_of(uses, 'amount') / count_of(uses, 'missing') > 0", "division by zero"),
        ("uses[5]['amount'] > 0", "IndexError"),
    ],
)
def test_a_hostile_or_broken_check_fails_safely_naming_the_check(rule: str, reason: str) -> None:
    form = budget_with(rule)
    found = details(form, data([1000]))
    assert [(d["path"], d["rule"]) for d in found] == [("resources", "extra_0")]
    message = found[0]["message"]
    assert "extra_0" in message["fa"] and "could not run" in message["en"] and reason in message["en"]
    assert "Traceback" not in message["en"]


def test_a_check_cannot_change_the_data_other_checks_or_the_case_see() -> None:
    form = budget_with("uses.append({'amount': 10**6}) is None", "count_of(uses) == 1")
    assert validate(form, data([1000]), context=ANYTHING)["uses"] == [{"title": "مصرف 0", "amount": 1000}]


def test_an_optional_field_not_submitted_is_none_in_checks() -> None:
    raw = budget_raw()
    raw["schema"]["properties"]["start"] = {"type": "string", "format": "jalali-date", "title": "آغاز"}
    raw["schema"]["properties"]["end"] = {"type": "string", "format": "jalali-date", "title": "پایان"}
    raw["checks"].append(
        {"id": "dates", "rule": "jalali_before(start, end)", "path": "end", "message": {"fa": "ت", "en": "d"}}
    )
    form = load_form(raw, name="dated.json")
    assert validate(form, data([1000]), context=ANYTHING)["uses"][0]["amount"] == 1000
    late = {**data([1000]), "start": "۱۴۰۳/۰۲/۰۱", "end": "1403/01/31"}
    assert [d["rule"] for d in details(form, late)] == ["dates"]
    assert validate(form, {**late, "end": "1403/2/2"}, context=ANYTHING)["end"] == "1403/02/02"


def test_sum_of_adds_a_column_and_counts_empty_cells_as_zero() -> None:
    assert sum_of([{"a": 2}, {"a": None}, {}, {"a": 3}], "a") == 5
    assert sum_of(None, "a") == 0
    with pytest.raises(ScriptError, match="row 2 is not a number"):
        sum_of([{"a": 1}, {"a": "۲"}], "a")
    with pytest.raises(ScriptError, match="rows of a table"):
        sum_of("abc", "a")


def test_count_of_counts_rows_or_filled_cells() -> None:
    rows = [{"a": 1}, {"a": ""}, {"a": None}, {"a": 0}]
    assert count_of(rows) == 4
    assert count_of(rows, "a") == 2
    assert count_of(None) == 0


def test_jalali_before_compares_dates_and_leaves_missing_ones_to_required() -> None:
    assert jalali_before("1402/12/29", "1403/01/01")
    assert not jalali_before("1403/01/01", "1403/01/01")
    assert jalali_before("۱۴۰۳/۱/۹", "1403/01/10")
    assert jalali_before(None, "1403/01/01")
    with pytest.raises(ScriptError, match="dates like"):
        jalali_before("دیروز", "1403/01/01")


def test_a_check_may_read_a_field_it_names_in_a_comprehension(budget: FormDefinition) -> None:
    form = budget_with("all(row['amount'] > 0 for row in resources)")
    found = details(form, data([1000], resources=(1000, 0)))
    assert [d["rule"] for d in found] == ["extra_0"]
