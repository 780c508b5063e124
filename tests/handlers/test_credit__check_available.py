"""credit.check_available: the line is in the approved budget and has the credit asked for."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

import handlers.credit_check_available  # noqa: F401  (registers the handler)
from engine import HandlerContext, HandlerError, InvalidInput
from engine.budget.demo import BILLION, demo_budget
from engine.budget.ledger import Ledger
from engine.clock import Clock, FixedClock
from engine.platform import Platform
from engine.service_tasks import lookup

NAME = "credit.check_available"


@pytest.fixture
def registered(platform: Platform) -> Platform:
    with platform.store.transaction() as tx:
        Ledger(tx, platform.clock).register_approved(demo_budget(), instance_id="budget-1", actor=None)
    return platform


def run(platform: Platform, data: Mapping[str, Any], params: Mapping[str, Any] | None = None, *,
        clock: Clock | None = None) -> Any:  # fmt: skip
    clock = clock or platform.clock
    with platform.store.transaction() as tx:
        ctx = HandlerContext(
            name=NAME, data=data, params=params or {}, instance_id="credit-1", process_key="credit_distribution",
            element_id="Task_check", actor="reza", clock=clock, services={"ledger": Ledger(tx, clock)},
        )  # fmt: skip
        return lookup(NAME)(ctx)


def request(amount: int, line: object = "3605") -> dict[str, Any]:
    return {"unit": "muni-a", "fiscal_year": 1405, "budget_line": line, "amount": amount}


def test_enough_credit_writes_credit_check_ok_with_the_balance(registered: Platform) -> None:
    check = run(registered, request(300 * BILLION))["credit_check"]
    assert check["ok"] is True
    assert (check["line"], check["amount"], check["remaining"]) == ("3605", 300 * BILLION, 300 * BILLION)


def test_too_little_credit_throws_check_failed_with_a_persian_message(registered: Platform) -> None:
    with pytest.raises(HandlerError) as caught:
        run(registered, request(300 * BILLION + 1))
    assert caught.value.error_code == "check_failed"
    assert "۳۰۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال" in caught.value.message and "کافی نیست" in caught.value.message
    assert caught.value.details["problems"][0]["code"] == "insufficient_credit"


def test_a_line_outside_the_approved_budget_fails_the_check_with_a_did_you_mean(registered: Platform) -> None:
    with pytest.raises(HandlerError) as caught:
        run(registered, request(BILLION, "365"))
    assert caught.value.error_code == "check_failed"
    assert "did you mean '3605'?" in caught.value.message


def test_with_on_failure_record_the_refusal_goes_into_the_case_data(registered: Platform) -> None:
    check = run(registered, request(400 * BILLION), {"on_failure": "record"})["credit_check"]
    assert (check["ok"], check["problems"][0]["code"]) == (False, "insufficient_credit")


def test_budget_line_may_be_an_object_and_parameters_win_over_case_data(registered: Platform) -> None:
    data = {"budget_line": {"code": "3605", "unit": "muni-a", "fiscal_year": 1405}, "amount": 10**20}
    check = run(registered, data, {"amount": BILLION})["credit_check"]
    assert (check["ok"], check["amount"]) == (True, BILLION)


def test_the_fiscal_year_defaults_to_the_current_one(registered: Platform) -> None:
    during_1405 = FixedClock.at("2026-05-01T09:00:00+03:30")
    check = run(registered, {"unit": "muni-a", "budget_line": "3605", "amount": 1}, clock=during_1405)
    assert check["credit_check"]["fiscal_year"] == 1405


@pytest.mark.parametrize(
    "data",
    [
        {"fiscal_year": 1405, "budget_line": "3605", "amount": 1},  # no unit
        {"unit": "muni-a", "fiscal_year": 1405, "amount": 1},  # no line
        {"unit": "muni-a", "fiscal_year": 1405, "budget_line": "3605", "amount": 1.5},
    ],
)
def test_missing_or_malformed_inputs_are_input_errors(registered: Platform, data: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        run(registered, data)
