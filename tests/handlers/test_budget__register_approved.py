"""budget.register_approved: the approved budget's lines open in the ledger; a second one is refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

import handlers.budget_register_approved  # noqa: F401  (registers the handler)
from engine import Conflict, HandlerContext, InvalidInput
from engine.budget.demo import demo_budget
from engine.budget.ledger import Ledger
from engine.clock import FixedClock
from engine.platform import Platform
from engine.service_tasks import lookup

NAME = "budget.register_approved"


def run(platform: Platform, data: Mapping[str, Any], *, instance_id: str = "budget-1") -> Any:
    clock = platform.clock
    with platform.store.transaction() as tx:
        ctx = HandlerContext(
            name=NAME, data=data, params={}, instance_id=instance_id, process_key="budget_oversight",
            element_id="Task_register", actor="mina", clock=clock, services={"ledger": Ledger(tx, clock)},
        )  # fmt: skip
        return lookup(NAME)(ctx)


def test_the_approved_budget_is_registered_with_its_lines(platform: Platform, clock: FixedClock) -> None:
    result = run(platform, {"budget": demo_budget(), "unit": "muni-a", "fiscal_year": 1405})
    assert isinstance(result["budget_id"], int)
    with platform.store.reading() as tx:
        ledger = Ledger(tx, clock)
        assert len(ledger.lines("muni-a", 1405)) == 17
        [approved] = ledger.entries("muni-a", 1405, "2301")
    assert (approved["instance_id"], approved["actor"]) == ("budget-1", "mina")


def test_a_second_approved_budget_for_the_year_is_a_conflict(platform: Platform) -> None:
    run(platform, {"budget": demo_budget()})
    with pytest.raises(Conflict):
        run(platform, {"budget": demo_budget()}, instance_id="budget-2")


def test_a_retried_step_of_the_same_instance_gets_the_same_id(platform: Platform) -> None:
    assert run(platform, {"budget": demo_budget()}) == run(platform, {"budget": demo_budget()})


def test_the_case_unit_fills_in_a_budget_without_one_and_must_agree_with_one(
    platform: Platform, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput, match="unit"):
        run(platform, {"budget": demo_budget(), "unit": "muni-b"})
    budget = demo_budget()
    del budget["unit"]
    run(platform, {"budget": budget, "unit": "muni-b"})
    with platform.store.reading() as tx:
        assert Ledger(tx, clock).approved_budget("muni-b", 1405) is not None
