"""The credit ledger on SQLite and PostgreSQL: registration, reservations, deposits, payments, releases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engine.budget.demo import BILLION, demo_budget
from engine.budget.errors import InsufficientCredit
from engine.budget.ledger import Ledger, LineBalance
from engine.clock import FixedClock
from engine.errors import Conflict, InvalidInput, NotFound
from engine.store.session import Store

PARK = "3605"  # احداث پارک محله‌ای, 300 billion Rials in the demo budget
APPROVED = 300 * BILLION


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    built = Store(db_url)
    built.migrate()
    yield built
    built.dispose()


@pytest.fixture
def registered(store: Store, clock: FixedClock) -> int:
    with store.transaction() as tx:
        return Ledger(tx, clock).register_approved(demo_budget(), instance_id="budget-1", actor="mina")


def park(store: Store, clock: FixedClock) -> LineBalance:
    with store.reading() as tx:
        return Ledger(tx, clock).line("muni-a", 1405, PARK)


def post(store: Store, clock: FixedClock, action: str, amount: int, **kwargs: Any) -> int:
    with store.transaction() as tx:
        return getattr(Ledger(tx, clock), action)("muni-a", 1405, PARK, amount, **kwargs)  # type: ignore[no-any-return]


def test_registering_a_budget_opens_one_line_per_use_with_its_approved_credit(
    store: Store, clock: FixedClock, registered: int
) -> None:
    with store.reading() as tx:
        ledger = Ledger(tx, clock)
        lines = ledger.lines("muni-a", 1405)
        stored = ledger.approved_budget("muni-a", 1405)
    assert [line.code for line in lines] == [use["code"] for use in demo_budget()["uses"]]
    assert sum(line.approved for line in lines) == 6970 * BILLION
    assert park(store, clock) == LineBalance(
        unit="muni-a", fiscal_year=1405, code=PARK, title="احداث پارک محله‌ای",
        approved=APPROVED, allocated=0, committed=0, paid=0, remaining=APPROVED,
    )  # fmt: skip
    assert stored == demo_budget()


def test_a_line_moves_through_commitment_deposit_payment_and_release(
    store: Store, clock: FixedClock, registered: int
) -> None:
    reservation = post(store, clock, "reserve", 120 * BILLION, instance_id="credit-7", actor="reza")
    post(store, clock, "record_deposit", 100 * BILLION, instance_id="credit-7")
    payment = post(store, clock, "record_payment", 80 * BILLION, payee="شرکت عمران شهر", reference="S-12")
    post(store, clock, "release", 30 * BILLION, note="پایان قرارداد")

    balance = park(store, clock)
    assert (balance.approved, balance.committed, balance.allocated, balance.paid) == (
        300 * BILLION, 90 * BILLION, 100 * BILLION, 80 * BILLION,
    )  # fmt: skip
    assert (balance.remaining, balance.payable) == (210 * BILLION, 10 * BILLION)
    with store.reading() as tx:
        entries = Ledger(tx, clock).entries("muni-a", 1405, PARK)
    assert [e["kind"] for e in entries] == ["approved", "committed", "allocated", "paid", "released"]
    assert entries[1]["id"] == reservation and entries[1]["actor"] == "reza"
    assert entries[3]["id"] == payment and entries[3]["payee"] == "شرکت عمران شهر"
    assert entries[3]["reference"] == "S-12" and entries[4]["note"] == "پایان قرارداد"
    assert entries[0]["instance_id"] == "budget-1" and entries[0]["at"] == clock.now().isoformat()


def test_a_second_budget_for_the_same_unit_and_year_is_a_conflict_and_changes_nothing(
    store: Store, clock: FixedClock, registered: int
) -> None:
    other = demo_budget()
    other["uses"][0]["amount"] += BILLION
    other["resources"][0]["amount"] += BILLION
    with pytest.raises(Conflict, match="پیش‌تر ثبت شده"), store.transaction() as tx:
        Ledger(tx, clock).register_approved(other, instance_id="budget-2", actor="mina")
    with store.reading() as tx:
        assert Ledger(tx, clock).approved_budget("muni-a", 1405) == demo_budget()
        assert Ledger(tx, clock).line("muni-a", 1405, "2101").approved == 1300 * BILLION


def test_the_same_instance_registering_the_same_budget_again_gets_the_same_id(
    store: Store, clock: FixedClock, registered: int
) -> None:
    with store.transaction() as tx:
        again = Ledger(tx, clock).register_approved(demo_budget(), instance_id="budget-1", actor="mina")
    assert again == registered
    assert park(store, clock).approved == APPROVED  # no second approved entry


def test_other_units_and_years_have_their_own_budgets(
    store: Store, clock: FixedClock, registered: int
) -> None:
    with store.transaction() as tx:
        ledger = Ledger(tx, clock)
        other_unit = ledger.register_approved(demo_budget("muni-b"), instance_id="b", actor=None)
        next_year = ledger.register_approved(demo_budget(year=1406), instance_id="c", actor=None)
    assert len({registered, other_unit, next_year}) == 3


def test_an_overspending_reservation_is_refused_and_the_line_is_unchanged(
    store: Store, clock: FixedClock, registered: int
) -> None:
    post(store, clock, "reserve", 250 * BILLION)
    before = park(store, clock)
    with pytest.raises(InsufficientCredit) as caught:
        post(store, clock, "reserve", 50 * BILLION + 1)
    assert caught.value.details["available"] == 50 * BILLION
    assert "۵۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال" in caught.value.message
    assert park(store, clock) == before
    post(store, clock, "reserve", 50 * BILLION)  # exactly what is left is fine
    assert park(store, clock).remaining == 0


def test_check_available_reports_without_writing(store: Store, clock: FixedClock, registered: int) -> None:
    with store.transaction() as tx:
        ledger = Ledger(tx, clock)
        assert ledger.check_available("muni-a", 1405, PARK, APPROVED).remaining == APPROVED
        with pytest.raises(InsufficientCredit):
            ledger.check_available("muni-a", 1405, PARK, APPROVED + 1)
        assert [e["kind"] for e in ledger.entries("muni-a", 1405, PARK)] == ["approved"]


def test_a_payment_needs_a_line_of_the_approved_budget(
    store: Store, clock: FixedClock, registered: int
) -> None:
    with pytest.raises(NotFound) as caught, store.transaction() as tx:
        Ledger(tx, clock).record_payment("muni-a", 1405, "365", BILLION, payee="پیمانکار")
    assert caught.value.hint == "did you mean '3605'?"
    with pytest.raises(NotFound, match="بودجهٔ مصوبی"), store.transaction() as tx:
        Ledger(tx, clock).record_payment("muni-c", 1405, PARK, BILLION, payee="پیمانکار")


def test_a_payment_spends_only_credit_both_committed_and_deposited(
    store: Store, clock: FixedClock, registered: int
) -> None:
    with pytest.raises(InsufficientCredit):  # nothing committed yet
        post(store, clock, "record_payment", BILLION, payee="پیمانکار")
    post(store, clock, "reserve", 50 * BILLION)
    with pytest.raises(InsufficientCredit):  # committed but nothing deposited
        post(store, clock, "record_payment", BILLION, payee="پیمانکار")
    post(store, clock, "record_deposit", 80 * BILLION)
    with pytest.raises(InsufficientCredit):  # deposited 80, but only 50 committed
        post(store, clock, "record_payment", 50 * BILLION + 1, payee="پیمانکار")
    post(store, clock, "record_payment", 50 * BILLION, payee="پیمانکار")
    assert park(store, clock).paid == 50 * BILLION


def test_a_payment_needs_a_payee(store: Store, clock: FixedClock, registered: int) -> None:
    with pytest.raises(InvalidInput, match="payee"):
        post(store, clock, "record_payment", BILLION, payee="  ")


def test_deposits_stay_within_the_approved_credit(store: Store, clock: FixedClock, registered: int) -> None:
    post(store, clock, "record_deposit", APPROVED)
    with pytest.raises(InsufficientCredit):
        post(store, clock, "record_deposit", 1)


def test_a_release_frees_only_the_unpaid_part_of_a_commitment(
    store: Store, clock: FixedClock, registered: int
) -> None:
    post(store, clock, "reserve", 100)
    post(store, clock, "record_deposit", 100)
    post(store, clock, "record_payment", 70, payee="پیمانکار")
    with pytest.raises(InsufficientCredit):
        post(store, clock, "release", 31)
    post(store, clock, "release", 30)
    assert (park(store, clock).committed, park(store, clock).remaining) == (70, APPROVED - 70)


@pytest.mark.parametrize("amount", [0, -5, True, 2.5, "1000", None])
def test_amounts_are_positive_whole_rials(
    store: Store, clock: FixedClock, registered: int, amount: object
) -> None:
    with pytest.raises(InvalidInput):
        post(store, clock, "reserve", amount)  # type: ignore[arg-type]
    assert park(store, clock).committed == 0


def test_a_budget_with_a_broken_shape_is_not_registered(store: Store, clock: FixedClock) -> None:
    budget = demo_budget()
    budget["uses"][2]["amount"] = 1.5
    with pytest.raises(InvalidInput) as caught, store.transaction() as tx:
        Ledger(tx, clock).register_approved(budget, instance_id=None, actor=None)
    assert [p["path"] for p in caught.value.details] == ["uses/2/amount"]
    with store.reading() as tx:
        assert Ledger(tx, clock).approved_budget("muni-a", 1405) is None


def test_amounts_beyond_32_bits_are_kept_exactly(store: Store, clock: FixedClock) -> None:
    budget = demo_budget()
    budget["resources"][0]["amount"] += 10**15  # a thousand thousand billion Rials
    budget["uses"][0]["amount"] += 10**15
    with store.transaction() as tx:
        Ledger(tx, clock).register_approved(budget, instance_id=None, actor=None)
    with store.reading() as tx:
        line = Ledger(tx, clock).line("muni-a", 1405, "2101")
    assert line.approved == 10**15 + 1300 * BILLION and type(line.approved) is int
