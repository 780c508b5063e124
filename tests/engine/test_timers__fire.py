"""Timers live in the database: timer start events start instances, due boundary timers fire once,
and two schedulers on one PostgreSQL never fire the same timer twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.clock import FixedClock, parse_instant
from engine.platform import Platform
from engine.settings import from_env
from engine.store.models import Instance, TimerRow
from tests.conftest import add_people, bundle, make_platform
from tests.support.processes import run_twice_at_once

START = "2026-03-01T09:00:00+03:30"


def started_instances(platform: Platform) -> list[Instance]:
    with platform.store.reading() as tx:
        return list(tx.scalars(select(Instance).order_by(Instance.started_at)))


def test_a_timer_start_event_starts_an_instance_when_due_and_only_once(platform: Platform) -> None:
    platform.deploy(bundle("timer_start"))
    due = parse_instant("2026-03-21T08:00:00+03:30")
    with platform.store.reading() as tx:
        rows = list(tx.scalars(select(TimerRow)))
    assert [(r.element_id, r.due_at) for r in rows] == [("start_timer", due)]

    assert platform.tick(due - dt.timedelta(seconds=1)) == 0
    assert started_instances(platform) == []

    assert platform.tick(due + dt.timedelta(seconds=1)) == 1
    [instance] = started_instances(platform)
    assert instance.started_by is None and instance.status == "running"
    assert [t["element_id"] for t in platform.tasks("ali")] == ["prepare"]
    kinds = [e["kind"] for e in platform.history(instance.id)]
    assert kinds == ["started", "timer_fired", "task_ready"]

    assert platform.tick(due + dt.timedelta(days=400)) == 0
    assert len(started_instances(platform)) == 1


def test_a_cycle_timer_start_event_starts_one_instance_per_cycle(platform: Platform, tmp_path: Path) -> None:
    folder = tmp_path / "cycle"
    folder.mkdir()
    xml = (bundle("timer_start") / "process.bpmn").read_text(encoding="utf-8")
    xml = xml.replace(
        "<bpmn:timeDate>2026-03-21T08:00:00+03:30</bpmn:timeDate>",
        "<bpmn:timeCycle>R3/2026-03-02T00:00:00Z/P1D</bpmn:timeCycle>",
    )
    (folder / "process.bpmn").write_text(xml, encoding="utf-8")
    platform.deploy(folder)

    fired = [platform.tick(parse_instant(f"2026-03-0{day}T00:00:01Z")) for day in range(2, 7)]

    assert fired == [1, 1, 1, 0, 0]
    assert len(started_instances(platform)) == 3


def test_a_manual_start_of_a_timer_started_process_runs_now(platform: Platform) -> None:
    platform.deploy(bundle("timer_start"))
    started = platform.start("annual_cycle", {}, actor="ali")
    assert [t["element_id"] for t in platform.tasks("ali", instance_id=started.instance_id)] == ["prepare"]


def _tick(url: str, data_dir: str, when: str, barrier: object, results: object) -> None:
    platform = Platform.build(from_env({}, database_url=url, data_dir=data_dir), clock=FixedClock.at(START))
    barrier.wait()  # type: ignore[attr-defined]
    results.put(platform.tick(parse_instant(when)))  # type: ignore[attr-defined]
    platform.store.dispose()


@pytest.mark.postgres
def test_two_processes_ticking_one_postgres_fire_each_due_timer_exactly_once(
    postgres_url: str, tmp_path: Path
) -> None:
    from engine import service_tasks

    platform = make_platform(postgres_url, tmp_path, FixedClock.at(START))
    with platform.store.transaction() as tx:
        add_people(tx)
    platform.deploy(bundle("review"))
    ids = []
    for _ in range(8):
        started = platform.start("review", {}, actor="ali")
        task = platform.tasks("ali", instance_id=started.instance_id)[0]
        platform.complete(
            str(task["id"]), {"amount": 5000}, actor="ali"
        )  # waits for the manager, 48 h timer armed
        ids.append(started.instance_id)
    service_tasks.unregister("test.stamp")

    later = "2026-03-10T00:00:00Z"
    counts = run_twice_at_once(_tick, postgres_url, str(tmp_path), later)

    assert sum(counts) == 8, counts
    for instance_id in ids:
        assert [e["kind"] for e in platform.history(instance_id)].count("timer_fired") == 1
        assert [t["element_id"] for t in platform.tasks("reza", instance_id=instance_id)] == ["escalated"]
    platform.store.dispose()
