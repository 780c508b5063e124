"""budget.check_structure: a sound budget writes budget_check ok; a broken one throws check_failed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

import handlers.budget_check_structure  # noqa: F401  (registers the handler)
from engine import HandlerContext, HandlerError, InvalidInput, NotFound
from engine.budget.demo import BILLION, demo_budget
from engine.clock import FixedClock
from engine.service_tasks import lookup

NAME = "budget.check_structure"


def run(data: Mapping[str, Any], params: Mapping[str, Any] | None = None) -> Any:
    ctx = HandlerContext(
        name=NAME, data=data, params=params or {}, instance_id="budget-1", process_key="budget_oversight",
        element_id="Task_check", actor=None, clock=FixedClock.at("2026-02-01T09:00+03:30"), services={},
    )  # fmt: skip
    return lookup(NAME)(ctx)


def unbalanced() -> dict[str, Any]:
    budget = demo_budget()
    budget["resources"][0]["amount"] += BILLION
    budget["uses"][0]["amount"] = 0
    return budget


def test_a_sound_budget_writes_budget_check_ok() -> None:
    assert run({"budget": demo_budget()}) == {
        "budget_check": {"ok": True, "circular": "1405", "problems": []}
    }


def test_a_broken_budget_throws_check_failed_with_the_problems_in_persian() -> None:
    with pytest.raises(HandlerError) as caught:
        run({"budget": unbalanced()})
    err = caught.value
    assert err.error_code == "check_failed"
    assert err.message.splitlines() == [
        "بودجه در بررسی سامانه‌ای پذیرفته نشد (۱ ایراد):",
        "۱. مبلغ ردیف باید بیشتر از صفر باشد (اکنون ۰ ریال)",
    ]
    assert err.details["ok"] is False
    assert [(p["code"], p["path"]) for p in err.details["problems"]] == [
        ("amount_not_positive", "uses/0/amount")
    ]


def test_with_on_failure_record_the_failed_check_goes_into_the_case_data_for_a_gateway() -> None:
    budget = demo_budget()
    budget["resources"][0]["amount"] += BILLION
    result = run({"budget": budget}, {"on_failure": "record"})["budget_check"]
    assert result["ok"] is False
    assert [p["code"] for p in result["problems"]] == ["not_balanced"]
    assert "۶٬۹۷۱٬۰۰۰٬۰۰۰٬۰۰۰ ریال" in result["problems"][0]["message"]["fa"]


def test_a_case_without_a_budget_is_an_input_error_not_a_failed_check() -> None:
    with pytest.raises(InvalidInput, match="budget"):
        run({"amount": 5})


def test_a_budget_naming_a_circular_the_platform_lacks_is_not_found() -> None:
    with pytest.raises(NotFound, match="1399"):
        run({"budget": {**demo_budget(), "circular": "1399"}})


def test_an_unknown_failure_mode_is_refused() -> None:
    with pytest.raises(InvalidInput, match="on_failure"):
        run({"budget": unbalanced()}, {"on_failure": "ignore"})
