"""Two reservations at once that together exceed the line: exactly one succeeds, the line never overspends.

Each reservation holds its transaction open a moment after writing, so the other one tries while the
first is still uncommitted — without the line lock both would see the full credit and both succeed.
SQLite: two threads of one process. PostgreSQL: two processes, as two web workers would be.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from engine.budget.demo import BILLION, demo_budget
from engine.budget.errors import InsufficientCredit
from engine.budget.ledger import Ledger
from engine.clock import FixedClock
from engine.store.session import Store
from tests.support.processes import run_twice_at_once

START = "2026-05-01T09:00:00+03:30"
PARK = "3605"  # 300 billion Rials approved
ASK = 200 * BILLION  # two of these exceed the line
HOLD_S = 0.3  # how long a writer keeps its transaction open after writing


def _registered(url: str) -> Store:
    store = Store(url)
    store.migrate()
    with store.transaction() as tx:
        Ledger(tx, FixedClock.at(START)).register_approved(demo_budget(), instance_id="b", actor=None)
    return store


def _reserve(store: Store) -> str:
    try:
        with store.transaction() as tx:
            Ledger(tx, FixedClock.at(START)).reserve("muni-a", 1405, PARK, ASK)
            time.sleep(HOLD_S)
        return "ok"
    except InsufficientCredit:
        return "refused"


def _reserve_in_process(url: str, barrier: object, results: object) -> None:
    store = Store(url)
    barrier.wait()  # type: ignore[attr-defined]
    try:
        results.put(_reserve(store))  # type: ignore[attr-defined]
    finally:
        store.dispose()


def _committed(store: Store) -> int:
    with store.reading() as tx:
        return Ledger(tx, FixedClock.at(START)).line("muni-a", 1405, PARK).committed


def test_two_threads_reserving_at_once_on_sqlite_give_one_success(tmp_path: Path) -> None:
    store = _registered(f"sqlite:///{tmp_path / 'race.db'}")
    barrier, outcomes = threading.Barrier(2), []

    def worker() -> None:
        barrier.wait()
        outcomes.append(_reserve(store))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(outcomes) == ["ok", "refused"]
    assert _committed(store) == ASK
    store.dispose()


@pytest.mark.postgres
def test_two_processes_reserving_at_once_on_postgres_give_one_success(postgres_url: str) -> None:
    store = _registered(postgres_url)
    outcomes = run_twice_at_once(_reserve_in_process, postgres_url)

    assert sorted(outcomes) == ["ok", "refused"]
    assert _committed(store) == ASK
    store.dispose()
