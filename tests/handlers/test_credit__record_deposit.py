"""credit.record_deposit: records money deposited for the line, never beyond its approved credit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

import handlers.credit_record_deposit  # noqa: F401  (registers the handler)
from engine import HandlerContext, HandlerError
from engine.budget.demo import BILLION, demo_budget
from engine.budget.ledger import Ledger
from engine.platform import Platform
from engine.service_tasks import lookup

NAME = "credit.record_deposit"
ASK = {"unit": "muni-a", "fiscal_year": 1405, "budget_line": "3605"}


@pytest.fixture
def registered(platform: Platform) -> Platform:
    with platform.store.transaction() as tx:
        Ledger(tx, platform.clock).register_approved(demo_budget(), instance_id="budget-1", actor=None)
    return platform


def run(platform: Platform, data: Mapping[str, Any]) -> Any:
    clock = platform.clock
    with platform.store.transaction() as tx:
        ctx = HandlerContext(
            name=NAME, data=data, params={}, instance_id="credit-1", process_key="credit_distribution",
            element_id="Task_deposit", actor="reza", clock=clock, services={"ledger": Ledger(tx, clock)},
        )  # fmt: skip
        return lookup(NAME)(ctx)


def allocated(platform: Platform) -> int:
    with platform.store.reading() as tx:
        return Ledger(tx, platform.clock).line("muni-a", 1405, "3605").allocated


def test_a_deposit_is_recorded_as_allocated_credit_and_writes_nothing_back(registered: Platform) -> None:
    assert run(registered, {**ASK, "amount": 150 * BILLION}) is None
    assert allocated(registered) == 150 * BILLION


def test_a_deposit_beyond_the_approved_credit_throws_check_failed(registered: Platform) -> None:
    run(registered, {**ASK, "amount": 300 * BILLION})
    with pytest.raises(HandlerError) as caught:
        run(registered, {**ASK, "amount": 1})
    assert caught.value.error_code == "check_failed"
    assert allocated(registered) == 300 * BILLION


def test_a_deposit_for_a_line_outside_the_budget_throws_check_failed(registered: Platform) -> None:
    with pytest.raises(HandlerError, match="۹۹۹۹"):
        run(registered, {**ASK, "budget_line": "9999", "amount": 1})
