"""SLA timers: the due time counts Iranian working days across Nowruz, a reminder fires part-way, the
breach escalates to the supervisor group (who may then act on the task), and finishing in time stops
both. The notices themselves are recorded through the ``sla.*`` handlers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from engine.clock import FixedClock
from engine.platform import Platform
from engine.store.models import TimerRow
from tests.conftest import bundle
from tests.support.handlers import recording

# Wednesday 27 Esfand 1404, 09:00 in Tehran: two working days later is after the Nowruz holidays.
READY = dt.datetime(2026, 3, 18, 5, 30, tzinfo=dt.UTC)
DUE = dt.datetime(2026, 3, 25, 11, 0, tzinfo=dt.UTC)  # 5 Farvardin 1405, 14:30 in Tehran


@pytest.fixture
def started(platform: Platform, clock: FixedClock) -> dict[str, object]:
    clock.set(READY)
    platform.deploy(bundle("referral_sla"), actor="admin")
    result = platform.start("referral_sla", {}, actor="mina")
    (task,) = platform.tasks("ali", instance_id=result.instance_id)
    return task


def sla_timers(platform: Platform) -> list[TimerRow]:
    with platform.store.reading() as tx:
        return list(tx.scalars(select(TimerRow).where(TimerRow.kind == "sla").order_by(TimerRow.due_at)))


def kinds(platform: Platform, instance_id: str) -> list[str]:
    return [e["kind"] for e in platform.history(instance_id)]


def test_the_due_time_skips_the_weekend_and_nowruz(platform: Platform, started: dict[str, object]) -> None:
    assert started["due_at"] == DUE.isoformat()
    calendar = platform.runtime.calendar
    assert calendar.jalali(calendar.local_date(DUE)) == "1405/01/05"
    remind, escalate = sla_timers(platform)
    assert READY < remind.due_at < DUE and escalate.due_at == DUE
    assert started["sla"]["level"] == "ok"


def test_reminder_then_escalation_each_once(platform: Platform, started: dict[str, object]) -> None:
    instance = str(started["instance_id"])
    remind_at = sla_timers(platform)[0].due_at
    with recording("sla.remind", "sla.escalate") as calls:
        platform.tick(remind_at - dt.timedelta(seconds=1))
        assert calls == []
        platform.tick(remind_at + dt.timedelta(seconds=1))
        platform.tick(remind_at + dt.timedelta(minutes=5))
        assert [name for name, _ in calls] == ["sla.remind"]
        assert calls[0][1]["assignee"] == "ali"
        platform.tick(DUE - dt.timedelta(seconds=1))
        assert len(calls) == 1
        platform.tick(DUE + dt.timedelta(seconds=1))
        platform.tick(DUE + dt.timedelta(days=3))
    assert [name for name, _ in calls] == ["sla.remind", "sla.escalate"]
    assert calls[1][1]["escalate_to"] == "manager"
    assert kinds(platform, instance).count("escalated") == 1
    assert sla_timers(platform) == []
    assert platform.verify(instance).ok


def test_after_the_breach_the_supervisor_sees_and_may_finish_the_task(
    platform: Platform, started: dict[str, object], clock: FixedClock
) -> None:
    assert platform.tasks("mina", instance_id=str(started["instance_id"])) == []
    with recording("sla.remind", "sla.escalate"):
        platform.tick(DUE + dt.timedelta(seconds=1))
    clock.set(DUE + dt.timedelta(hours=1))
    (seen,) = platform.tasks("mina", instance_id=str(started["instance_id"]))
    assert seen["assignee"] == "ali" and seen["escalated_to"] == "manager"
    assert seen["sla"]["level"] == "overdue"
    platform.complete(str(started["id"]), {}, actor="mina")
    assert "completed" in kinds(platform, str(started["instance_id"]))
    assert platform.tasks("sara", instance_id=str(started["instance_id"])) == []  # not escalated to clerks


def test_a_notice_that_cannot_be_sent_does_not_hold_the_escalation_back(
    platform: Platform, started: dict[str, object]
) -> None:
    with recording("sla.remind", "sla.escalate", fail=True):
        platform.tick(DUE + dt.timedelta(seconds=1))
    (event,) = [e for e in platform.history(str(started["instance_id"])) if e["kind"] == "escalated"]
    assert event["data"]["notice_failed"] == "the mail server did not answer"
    assert event["data"]["escalate_to"] == "manager"


def test_finishing_in_time_cancels_the_reminders(platform: Platform, started: dict[str, object]) -> None:
    platform.complete(str(started["id"]), {}, actor="ali")
    assert sla_timers(platform) == []
    with recording("sla.remind", "sla.escalate") as calls:
        platform.tick(DUE + dt.timedelta(days=10))
    assert calls == []


def test_the_supervisor_of_the_case_sees_a_breached_task_sent_to_another_unit(
    platform: Platform, started: dict[str, object], clock: FixedClock
) -> None:
    # The task went to muni-b's pool; mina (manager of muni-a, the case's unit) supervises the case.
    platform.refer(str(started["id"]), actor="ali", to_unit="muni-b", note="برای شهرداری ب")
    with recording("sla.remind", "sla.escalate"):
        platform.tick(DUE + dt.timedelta(seconds=1))
    (seen,) = platform.tasks("mina", instance_id=str(started["instance_id"]))
    assert (seen["org_unit"], seen["escalated_to"]) == ("muni-b", "manager")
    assert platform.tasks("reza", instance_id=str(started["instance_id"])) == []  # not a manager
