"""Which start event a new instance enters by: a manual start takes the none start event (or, with only
timer start events, fires the first one now), the platform's start timer takes its own timer start
event — and a Quartz cron, which SpiffWorkflow cannot read, is never evaluated by it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from engine.clock import FixedClock, parse_instant
from engine.definitions import bundle as bundles
from engine.definitions.deploy import compile_bundle
from engine.errors import NotFound
from engine.platform import Platform
from engine.spiff import workflow
from engine.store.models import Instance, ProcessVersion, TimerRow
from tests.conftest import bundle

START_EVENTS = bundle("start_events")


@pytest.fixture
def started(platform: Platform) -> Platform:
    platform.deploy(START_EVENTS, actor="admin")
    return platform


def elements(platform: Platform, instance_id: str) -> list[str]:
    return [str(t["element_id"]) for t in platform.tasks("ali", instance_id=instance_id)]


def kinds(platform: Platform, instance_id: str) -> list[str]:
    return [e["kind"] for e in platform.history(instance_id)]


def instance_timers(platform: Platform) -> list[TimerRow]:
    with platform.store.reading() as tx:
        return list(tx.scalars(select(TimerRow).where(TimerRow.instance_id.is_not(None))))


@pytest.mark.parametrize("process_key", ["cron_only", "iso_cycle"])
def test_a_manual_start_of_a_process_with_only_a_timer_start_fires_it_now(
    started: Platform, process_key: str
) -> None:
    result = started.start(process_key, {}, actor="ali")

    assert result.status == "running"
    assert started.instance(result.instance_id)["incident"] is None
    assert elements(started, result.instance_id) == ["prepare"]
    assert kinds(started, result.instance_id) == ["started", "timer_fired", "task_ready"]
    assert instance_timers(started) == []  # the start event is spent, not left waiting for its next cycle


def test_a_manual_start_with_a_none_start_event_begins_there_and_drops_the_cron(started: Platform) -> None:
    result = started.start("cron_and_none", {}, actor="ali")

    assert result.status == "running"
    assert elements(started, result.instance_id) == ["by_hand"]
    assert "timer_fired" not in kinds(started, result.instance_id)
    assert instance_timers(started) == []
    [task] = started.tasks("ali", instance_id=result.instance_id)
    assert started.complete(str(task["id"]), {}, actor="ali").status == "completed"


def test_the_cron_schedule_still_starts_the_process_when_due(started: Platform) -> None:
    due = parse_instant("2026-07-01T08:00:00Z")  # 0 0 8 1 7 ? = 1 July, 08:00
    with started.store.reading() as tx:
        query = select(TimerRow.due_at).join(ProcessVersion, ProcessVersion.id == TimerRow.version_id)
        assert list(tx.scalars(query.where(ProcessVersion.process_key == "cron_only"))) == [due]

    started.tick(due + dt.timedelta(seconds=1))

    with started.store.reading() as tx:
        [instance] = tx.scalars(select(Instance).where(Instance.process_key == "cron_only"))
    assert instance.status == "running" and instance.started_by is None
    assert elements(started, instance.id) == ["prepare"]


def _begin(process_key: str, start_event: str | None) -> list[str]:
    compiled = compile_bundle(bundles.read(START_EVENTS / process_key / "process.bpmn", max_bytes=1 << 20))
    [process] = compiled.processes
    clock = FixedClock.at("2026-03-01T09:00:00+03:30")
    ctx = workflow.RunContext("i-1", process_key, None, clock, {})
    wf = workflow.new(process.spec, process.subprocess_specs, {}, ctx)
    outcome = workflow.begin(wf, ctx, start_event)
    assert outcome.incident is None, outcome.incident
    return [t.element_id for t in workflow.ready_human_tasks(wf)]


def test_the_platform_start_timer_enters_by_its_own_timer_start_event() -> None:
    assert _begin("cron_and_none", None) == ["by_hand"]
    assert _begin("cron_and_none", "start_timer") == ["prepare"]
    assert _begin("iso_cycle", "start_timer") == ["prepare"]


def test_naming_a_start_event_the_process_does_not_have_is_not_found() -> None:
    with pytest.raises(NotFound, match="no timer start event 'start_hand_typo'"):
        _begin("cron_and_none", "start_hand_typo")
