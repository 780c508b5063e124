"""The structure checks: each problem is reported with its code and the path of the field at fault."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine.budget import circular, structure
from engine.budget.demo import BILLION, demo_budget


@pytest.fixture(scope="module")
def rules() -> circular.Circular:
    return circular.load("1405")


def codes_and_paths(budget: Any, rules: circular.Circular) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in structure.check(budget, rules)]


def use_index(budget: dict[str, Any], code: str) -> int:
    return next(i for i, line in enumerate(budget["uses"]) if line["code"] == code)


def test_the_demo_budget_passes(rules: circular.Circular) -> None:
    assert structure.check(demo_budget(), rules) == []


def test_resources_not_equal_to_uses_names_both_totals_in_persian_digits(rules: circular.Circular) -> None:
    budget = demo_budget()
    budget["resources"][0]["amount"] += 5 * BILLION  # resources 6,975 billion, uses 6,970 billion
    [problem] = structure.check(budget, rules)
    assert (problem.code, problem.path) == ("not_balanced", "uses")
    assert "۶٬۹۷۵٬۰۰۰٬۰۰۰٬۰۰۰ ریال" in problem.message.fa
    assert "۶٬۹۷۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال" in problem.message.fa
    assert "6,975,000,000,000" in problem.message.en and "6,970,000,000,000" in problem.message.en


def test_compensation_of_employees_above_30_percent_is_over_its_limit(rules: circular.Circular) -> None:
    budget = demo_budget()
    # Move 600 billion from road works (capital) to salaries: 2,200 of 6,970 billion is 31.56 %.
    budget["uses"][use_index(budget, "2101")]["amount"] += 600 * BILLION
    budget["uses"][use_index(budget, "3603")]["amount"] -= 600 * BILLION
    [problem] = structure.check(budget, rules)
    assert (problem.code, problem.path) == ("chapter_over_limit", "uses")
    assert "جبران خدمت کارکنان" in problem.message.fa and "۳۱٫۵۶٪" in problem.message.fa
    assert "30%" in problem.message.en


def test_a_resource_chapter_has_its_limit_too(rules: circular.Circular) -> None:
    budget = demo_budget()
    budget["resources"][-1]["amount"] += 500 * BILLION  # more bank loans: chapter 7 is 22.8 % (limit 20)
    budget["uses"][use_index(budget, "3601")]["amount"] += 500 * BILLION
    assert codes_and_paths(budget, rules) == [("chapter_over_limit", "resources")]


def test_too_little_capital_spending_is_reported(rules: circular.Circular) -> None:
    budget = demo_budget()
    # 1,500 billion less road works, paid for by 1,100 less permit levies and 400 less bank loans:
    # capital uses fall to 1,940 of 5,470 billion, 35.47 % (the circular asks for 40 %).
    budget["uses"][use_index(budget, "3603")]["amount"] -= 1000 * BILLION
    budget["uses"][use_index(budget, "3604")]["amount"] -= 500 * BILLION
    budget["resources"][0]["amount"] -= 1100 * BILLION
    budget["resources"][-1]["amount"] -= 400 * BILLION
    [problem] = structure.check(budget, rules)
    assert (problem.code, problem.path) == ("capital_share_low", "uses")
    assert "۳۵٫۴۷٪" in problem.message.fa and "۴۰٪" in problem.message.fa


def test_a_missing_mandatory_line_is_reported(rules: circular.Circular) -> None:
    budget = demo_budget()
    removed = budget["uses"].pop(use_index(budget, "2301"))
    budget["uses"][use_index(budget, "2302")]["amount"] += removed["amount"]
    [problem] = structure.check(budget, rules)
    assert (problem.code, problem.path) == ("mandatory_line_missing", "uses")
    assert "۲۳۰۱" in problem.message.fa and "بازپرداخت بدهی" in problem.message.fa


def test_a_mandatory_line_below_its_share_points_at_its_amount(rules: circular.Circular) -> None:
    budget = demo_budget()
    index = use_index(budget, "3601")  # accessibility: at least 5 % of 3,440 billion capital = 172
    budget["uses"][index]["amount"] -= 10 * BILLION
    budget["uses"][use_index(budget, "3603")]["amount"] += 10 * BILLION
    [problem] = structure.check(budget, rules)
    assert (problem.code, problem.path) == ("mandatory_line_low", f"uses/{index}/amount")
    assert "۱۷۲٬۰۰۰٬۰۰۰٬۰۰۰ ریال" in problem.message.fa


def test_a_mandatory_line_in_the_wrong_chapter_points_at_its_chapter(rules: circular.Circular) -> None:
    budget = demo_budget()
    index = use_index(budget, "2301")
    budget["uses"][index]["chapter"] = "7"
    assert ("mandatory_line_misplaced", f"uses/{index}/chapter") in codes_and_paths(budget, rules)


@pytest.mark.parametrize(
    ("side", "index", "field", "value", "code"),
    [
        ("resources", 2, "chapter", "9", "unknown_chapter"),
        ("uses", 3, "chapter", "8", "unknown_chapter"),
        ("uses", 3, "section", "financial", "unknown_section"),
        ("uses", 4, "classification", "programme", "unknown_classification"),
        ("uses", 4, "classification", None, "unknown_classification"),
        ("uses", 5, "amount", 0, "amount_not_positive"),
        ("uses", 5, "amount", -1, "amount_not_positive"),
        ("resources", 1, "amount", 12.5, "amount_not_integer"),
        ("resources", 1, "amount", True, "amount_not_integer"),
        ("uses", 6, "amount", "120000", "amount_not_integer"),
        ("uses", 6, "code", "", "code_missing"),
        ("uses", 7, "code", "2101", "duplicate_code"),
        ("resources", 3, "code", "11", "duplicate_code"),
        ("uses", 2, "project", "P-1", "project_not_allowed"),
        ("uses", 12, "project", "", "project_missing"),
        ("uses", 12, "chapter", ["6"], "unknown_chapter"),
    ],
)
def test_each_shape_problem_points_at_its_field(
    rules: circular.Circular, side: str, index: int, field: str, value: object, code: str
) -> None:
    budget = demo_budget()
    budget[side][index][field] = value
    assert codes_and_paths(budget, rules) == [(code, f"{side}/{index}/{field}")]


def test_shape_problems_hold_back_the_rules_so_one_typo_is_one_problem(rules: circular.Circular) -> None:
    budget = demo_budget()
    budget["uses"][0]["amount"] = "lots"  # would also unbalance the budget and break no limit
    assert codes_and_paths(budget, rules) == [("amount_not_integer", "uses/0/amount")]


def test_every_problem_of_a_broken_budget_is_listed_at_once(rules: circular.Circular) -> None:
    budget = demo_budget()
    budget["uses"][0]["chapter"] = "9"
    budget["uses"][1]["amount"] = 0
    budget["resources"][0]["chapter"] = None
    assert codes_and_paths(budget, rules) == [
        ("unknown_chapter", "resources/0/chapter"),
        ("unknown_chapter", "uses/0/chapter"),
        ("amount_not_positive", "uses/1/amount"),
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"uses": []}, [("no_lines", "uses")]),
        ({"resources": None}, [("missing_field", "resources")]),
        ({"fiscal_year": "1405"}, [("missing_field", "fiscal_year")]),
        ({"unit": " "}, [("missing_field", "unit")]),
        ({"fiscal_year": 1404}, [("fiscal_year_mismatch", "fiscal_year")]),
    ],
)
def test_the_budget_header_and_lists_are_checked(
    rules: circular.Circular, change: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert codes_and_paths({**demo_budget(), **change}, rules) == expected


def test_a_line_or_budget_that_is_not_an_object_is_a_problem_not_a_crash(rules: circular.Circular) -> None:
    assert codes_and_paths([1, 2], rules) == [("not_an_object", "")]
    budget = demo_budget()
    budget["uses"][3] = "2401"
    assert codes_and_paths(budget, rules) == [("not_an_object", "uses/3")]


def test_the_check_does_not_change_the_budget(rules: circular.Circular) -> None:
    budget = demo_budget()
    budget["uses"][0]["amount"] = 0
    before = copy.deepcopy(budget)
    structure.check(budget, rules)
    assert budget == before


def test_problems_serialise_for_the_case_data_and_summarise_in_persian(rules: circular.Circular) -> None:
    budget = demo_budget()
    budget["uses"][0]["amount"] = 0
    budget["uses"][1]["chapter"] = "9"
    problems = structure.check(budget, rules)
    assert problems[0].to_dict() == {
        "code": "amount_not_positive",
        "path": "uses/0/amount",
        "message": {
            "fa": "مبلغ ردیف باید بیشتر از صفر باشد (اکنون ۰ ریال)",
            "en": "the amount must be above zero (it is 0 Rials)",
        },
    }
    summary = structure.summary_fa(problems)
    assert summary.splitlines()[0] == "بودجه در بررسی سامانه‌ای پذیرفته نشد (۲ ایراد):"
    assert summary.splitlines()[1].startswith("۱. مبلغ ردیف")
