"""credit.reserve: commits the amount on the line; a reservation beyond the remaining credit fails."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

import handlers.credit_reserve  # noqa: F401  (registers the handler)
from engine import HandlerContext, HandlerError
from engine.budget.demo import BILLION, demo_budget
from engine.budget.ledger import Ledger
from engine.platform import Platform
from engine.service_tasks import lookup

NAME = "credit.reserve"
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
            element_id="Task_reserve", actor="reza", clock=clock, services={"ledger": Ledger(tx, clock)},
        )  # fmt: skip
        return lookup(NAME)(ctx)


def entries(platform: Platform) -> list[dict[str, Any]]:
    with platform.store.reading() as tx:
        return Ledger(tx, platform.clock).entries("muni-a", 1405, "3605")


def test_a_reservation_commits_the_amount_and_names_who_and_where(registered: Platform) -> None:
    result = run(registered, {**ASK, "amount": 120 * BILLION})
    committed = entries(registered)[-1]
    assert result == {"reservation_id": committed["id"]}
    assert (committed["kind"], committed["amount"]) == ("committed", 120 * BILLION)
    assert (committed["instance_id"], committed["actor"]) == ("credit-1", "reza")
    assert committed["reference"] == "credit_distribution:Task_reserve"


def test_a_reservation_beyond_the_remaining_credit_throws_check_failed_and_writes_nothing(
    registered: Platform,
) -> None:
    run(registered, {**ASK, "amount": 200 * BILLION})
    with pytest.raises(HandlerError) as caught:
        run(registered, {**ASK, "amount": 100 * BILLION + 1})
    assert caught.value.error_code == "check_failed"
    assert "۱۰۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال" in caught.value.message
    assert [e["kind"] for e in entries(registered)] == ["approved", "committed"]
