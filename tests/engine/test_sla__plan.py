"""Planning a task's deadline, reminders and escalation from its SLA rule and the business calendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from engine import sla
from engine.business_calendar import BusinessCalendar

TEHRAN = ZoneInfo("Asia/Tehran")


def tehran(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TEHRAN)


@pytest.fixture
def calendar() -> BusinessCalendar:
    return BusinessCalendar()


def rule(**properties: str) -> sla.SlaRule:
    parsed = sla.parse(properties)
    assert parsed is not None
    return parsed


def test_working_days_with_reminders_at_shares_of_the_working_time(calendar: BusinessCalendar) -> None:
    ready = tehran(2026, 5, 2, 7, 30)  # Saturday morning; Saturday to Monday is 21 working hours

    plan = sla.plan(
        rule(sla="P2D", sla_reminders="0.5,0.8", sla_escalate_to="urban_affairs_dg"),
        ready_at=ready,
        started_at=ready,
        calendar=calendar,
    )

    assert plan.due_at == tehran(2026, 5, 4, 14, 30)
    assert plan.reminders == (tehran(2026, 5, 3, 11, 0), tehran(2026, 5, 4, 10, 18))
    assert plan.escalate_to == "urban_affairs_dg"
    assert all(r.tzinfo == dt.UTC for r in (*plan.reminders, plan.due_at))


def test_working_hours_skip_the_weekend(calendar: BusinessCalendar) -> None:
    ready = tehran(2026, 5, 2, 7, 30)

    plan = sla.plan(rule(sla="PT48H"), ready_at=ready, started_at=ready, calendar=calendar)

    # six 7-hour days (Saturday to Thursday), Friday off, six hours on the next Saturday
    assert plan.due_at == tehran(2026, 5, 9, 13, 30)
    assert plan.reminders == ()


def test_reminders_of_a_working_sla_always_fall_in_working_hours(calendar: BusinessCalendar) -> None:
    ready = tehran(2026, 3, 17, 13, 0)  # before the Nowruz closure

    plan = sla.plan(
        rule(sla="P10D", sla_reminders="0.1,0.3,0.5,0.7,0.9"),
        ready_at=ready,
        started_at=ready,
        calendar=calendar,
    )

    assert len(plan.reminders) == 5
    for reminder in plan.reminders:
        local = reminder.astimezone(TEHRAN)
        assert calendar.is_working_day(local.date())
        assert dt.time(7, 30) <= local.time() <= dt.time(14, 30)


def test_plain_calendar_days_are_elapsed_time(calendar: BusinessCalendar) -> None:
    ready = tehran(2026, 3, 19, 10, 0)  # Nowruz follows, but plain days do not care

    plan = sla.plan(
        rule(sla="P3D", sla_calendar="calendar", sla_reminders="0.5"),
        ready_at=ready,
        started_at=ready,
        calendar=calendar,
    )

    assert plan.due_at == ready + dt.timedelta(days=3)
    assert plan.reminders == (ready + dt.timedelta(hours=36),)


def test_counting_from_the_start_uses_the_instances_start(calendar: BusinessCalendar) -> None:
    started, ready = tehran(2026, 5, 2, 9, 0), tehran(2026, 5, 5, 9, 0)
    from_start = rule(sla="P5D", sla_from="start", sla_reminders="0.2,0.8")
    from_task = rule(sla="P5D", sla_reminders="0.2,0.8")

    by_start = sla.plan(from_start, ready_at=ready, started_at=started, calendar=calendar)
    by_task = sla.plan(from_task, ready_at=ready, started_at=started, calendar=calendar)

    assert by_start.due_at == tehran(2026, 5, 7, 14, 30)  # Sun Mon Tue Wed Thu after Saturday
    assert by_task.due_at == tehran(2026, 5, 11, 14, 30)  # Wed Thu Sat Sun Mon after Tuesday
    # the 0.2 reminder of the start-based plan would fall before the task existed: left out
    assert len(by_start.reminders) == 1 and ready < by_start.reminders[0] < by_start.due_at
    assert len(by_task.reminders) == 2


def test_a_deadline_already_passed_when_the_task_is_ready_has_no_reminders(
    calendar: BusinessCalendar,
) -> None:
    started, ready = tehran(2026, 5, 2, 9, 0), tehran(2026, 5, 20, 9, 0)

    plan = sla.plan(
        rule(sla="P3D", sla_from="start", sla_reminders="0.5"),
        ready_at=ready,
        started_at=started,
        calendar=calendar,
    )

    assert plan.due_at < ready
    assert plan.reminders == ()


def test_the_weekend_setting_moves_the_deadline() -> None:
    ready = tehran(2026, 5, 6, 9, 0)  # Wednesday
    five_days = rule(sla="P2D")

    friday_only = sla.plan(five_days, ready_at=ready, started_at=ready, calendar=BusinessCalendar())
    thursday_too = sla.plan(
        five_days, ready_at=ready, started_at=ready, calendar=BusinessCalendar(weekend={3, 4})
    )

    assert friday_only.due_at == tehran(2026, 5, 9, 14, 30)  # Thursday, Saturday
    assert thursday_too.due_at == tehran(2026, 5, 10, 14, 30)  # Saturday, Sunday
