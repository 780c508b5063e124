"""credit.record_payment: a payment only against a budget line, only of credit committed and deposited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

# Importing the modules registers the three handlers this flow uses.
import handlers.credit_record_deposit
import handlers.credit_record_payment
import handlers.credit_reserve  # noqa: F401
from engine import HandlerContext, HandlerError, InvalidInput
from engine.budget.demo import BILLION, demo_budget
from engine.budget.ledger import Ledger
from engine.platform import Platform
from engine.service_tasks import lookup

ASK = {"unit": "muni-a", "fiscal_year": 1405, "budget_line": "3605"}
PAYEE = "شرکت عمران و آبادانی شهر"


@pytest.fixture
def registered(platform: Platform) -> Platform:
    with platform.store.transaction() as tx:
        Ledger(tx, platform.clock).register_approved(demo_budget(), instance_id="budget-1", actor=None)
    return platform


def run(platform: Platform, name: str, data: Mapping[str, Any]) -> Any:
    clock = platform.clock
    with platform.store.transaction() as tx:
        ctx = HandlerContext(
            name=name, data=data, params={}, instance_id="credit-1", process_key="credit_distribution",
            element_id="Task_pay", actor="ali", clock=clock, services={"ledger": Ledger(tx, clock)},
        )  # fmt: skip
        return lookup(name)(ctx)


def test_reserve_deposit_and_pay_through_the_handlers(registered: Platform) -> None:
    run(registered, "credit.reserve", {**ASK, "amount": 100 * BILLION})
    run(registered, "credit.record_deposit", {**ASK, "amount": 60 * BILLION})
    result = run(registered, "credit.record_payment", {**ASK, "amount": 60 * BILLION, "payee": PAYEE})
    with registered.store.reading() as tx:
        ledger = Ledger(tx, registered.clock)
        paid = ledger.entries("muni-a", 1405, "3605")[-1]
        balance = ledger.line("muni-a", 1405, "3605")
    assert result == {"payment_id": paid["id"]}
    assert (paid["kind"], paid["payee"], paid["actor"]) == ("paid", PAYEE, "ali")
    assert (balance.paid, balance.payable) == (60 * BILLION, 0)


def test_a_payment_without_a_budget_line_is_refused(registered: Platform) -> None:
    with pytest.raises(InvalidInput, match="budget_line"):
        run(registered, "credit.record_payment", {"unit": "muni-a", "amount": BILLION, "payee": PAYEE})
    with pytest.raises(HandlerError) as caught:
        run(registered, "credit.record_payment", {**ASK, "budget_line": "7777", "amount": 1, "payee": PAYEE})
    assert caught.value.error_code == "check_failed" and "۷۷۷۷" in caught.value.message


def test_a_payment_beyond_what_was_committed_and_deposited_throws_check_failed(registered: Platform) -> None:
    run(registered, "credit.reserve", {**ASK, "amount": 10 * BILLION})
    with pytest.raises(HandlerError) as caught:  # committed, but nothing deposited yet
        run(registered, "credit.record_payment", {**ASK, "amount": BILLION, "payee": PAYEE})
    assert caught.value.error_code == "check_failed" and "قابل پرداخت" in caught.value.message


def test_a_payment_needs_a_payee(registered: Platform) -> None:
    with pytest.raises(InvalidInput, match="payee"):
        run(registered, "credit.record_payment", {**ASK, "amount": 1})
