"""Two completions of one task at the same moment: exactly one wins, the other gets Conflict.

On SQLite with threads in one process; on PostgreSQL with separate processes (each its own engine and
connection pool), which is how several web workers meet in production.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from engine import service_tasks
from engine.clock import FixedClock
from engine.errors import Conflict
from engine.platform import Platform
from engine.settings import from_env
from tests.conftest import add_people, bundle, make_platform
from tests.support.processes import run_twice_at_once

START = "2026-03-01T09:00:00+03:30"


def _stamp(ctx: service_tasks.HandlerContext) -> dict[str, object]:
    return {"letter_no": "L"}


def _ready_platform(url: str, data_dir: Path) -> tuple[Platform, str, str]:
    platform = make_platform(url, data_dir, FixedClock.at(START))
    with platform.store.transaction() as tx:
        add_people(tx)
    platform.deploy(bundle("review"))
    started = platform.start("review", {}, actor="ali")
    task_id = str(platform.tasks("ali", instance_id=started.instance_id)[0]["id"])
    return platform, started.instance_id, task_id


def _complete(url: str, data_dir: str, task_id: str, barrier: object, results: object) -> None:
    service_tasks.handler("test.stamp")(_stamp)
    platform = Platform.build(from_env({}, database_url=url, data_dir=data_dir), clock=FixedClock.at(START))
    barrier.wait()  # type: ignore[attr-defined]
    try:
        platform.complete(task_id, {"amount": 10}, actor="ali")
        results.put("ok")  # type: ignore[attr-defined]
    except Conflict as err:
        results.put(f"conflict: {err.message}")  # type: ignore[attr-defined]
    finally:
        platform.store.dispose()


@pytest.fixture(autouse=True)
def stamp() -> object:
    service_tasks.handler("test.stamp")(_stamp)
    yield
    service_tasks.unregister("test.stamp")


def test_two_threads_completing_one_task_on_sqlite_give_one_success_and_one_conflict(tmp_path: Path) -> None:
    platform, instance_id, task_id = _ready_platform(f"sqlite:///{tmp_path / 'c.db'}", tmp_path)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def worker() -> None:
        barrier.wait()
        try:
            platform.complete(task_id, {"amount": 10}, actor="ali")
            outcomes.append("ok")
        except Conflict as err:
            outcomes.append(f"conflict: {err.message}")

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "ok"], outcomes
    kinds = [e["kind"] for e in platform.history(instance_id)]
    assert kinds.count("completed") == 1 and kinds[-1] == "instance_completed"
    assert platform.verify(instance_id).ok
    platform.store.dispose()


@pytest.mark.postgres
def test_two_processes_completing_one_task_on_postgres_give_one_success_and_one_conflict(
    postgres_url: str, tmp_path: Path
) -> None:
    platform, instance_id, task_id = _ready_platform(postgres_url, tmp_path)
    outcomes = run_twice_at_once(_complete, postgres_url, str(tmp_path), task_id)

    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "ok"], outcomes
    assert [e["kind"] for e in platform.history(instance_id)].count("completed") == 1
    assert platform.instance(instance_id)["status"] == "completed"
    assert platform.verify(instance_id).ok
    platform.store.dispose()
