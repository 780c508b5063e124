"""Counting working days and hours: deadlines skip weekends and holidays and end when work ends."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from engine.business_calendar import BusinessCalendar

TEHRAN = ZoneInfo("Asia/Tehran")


def tehran(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TEHRAN)


@pytest.fixture
def calendar() -> BusinessCalendar:
    return BusinessCalendar()


def test_a_task_ready_on_wednesday_before_a_long_closure_is_due_on_the_next_working_day() -> None:
    # Thursday and Friday off; Saturday is Tasua and Sunday Ashura (1404/04/14-15).
    calendar = BusinessCalendar(weekend={3, 4})
    ready = tehran(2025, 7, 2, 10, 0)  # Wednesday 1404/04/11

    due = calendar.add_working_days(ready, 1)

    assert due == tehran(2025, 7, 7, 14, 30)
    assert due.tzinfo == dt.UTC
    assert calendar.jalali(due) == "1404/04/16"


def test_twenty_working_days_across_nowruz_1405_land_on_farvardin_22(calendar: BusinessCalendar) -> None:
    # Ready Tuesday 1404/12/19. Closed: 12/20 (Imam Ali), Fridays, 12/29 (oil), 1405/01/01-04 (Nowruz,
    # Eid al-Fitr), 01/12-13 (Republic day, Nature day).
    ready = tehran(2026, 3, 10, 9, 0)

    due = calendar.add_working_days(ready, 20)

    assert calendar.jalali(due) == "1405/01/22"
    assert due.astimezone(TEHRAN).time() == dt.time(14, 30)
    assert calendar.working_days_between(ready, due) == 20


def test_the_hour_a_task_becomes_ready_does_not_change_its_working_day_deadline(
    calendar: BusinessCalendar,
) -> None:
    morning, evening = tehran(2026, 5, 5, 6, 0), tehran(2026, 5, 5, 22, 0)  # Tuesday

    assert (
        calendar.add_working_days(morning, 3)
        == calendar.add_working_days(evening, 3)
        == tehran(2026, 5, 9, 14, 30)
    )


def test_zero_working_days_is_the_close_of_today_or_of_the_next_working_day(
    calendar: BusinessCalendar,
) -> None:
    assert calendar.add_working_days(tehran(2026, 5, 5, 9, 0), 0) == tehran(2026, 5, 5, 14, 30)
    assert calendar.add_working_days(tehran(2026, 5, 5, 15, 0), 0) == tehran(2026, 5, 6, 14, 30)
    assert calendar.add_working_days(tehran(2026, 5, 8, 9, 0), 0) == tehran(2026, 5, 9, 14, 30)  # Friday


@pytest.mark.parametrize("n", [1, 2, 5, 20, 60])
@pytest.mark.parametrize("start", ["2026-03-10T05:30:00Z", "2026-03-19T20:45:00Z", "2026-06-20T11:00:00Z"])
def test_counting_the_working_days_back_gives_the_number_added(
    calendar: BusinessCalendar, start: str, n: int
) -> None:
    begin = dt.datetime.fromisoformat(start)

    assert calendar.working_days_between(begin, calendar.add_working_days(begin, n)) == n


def test_working_days_between_counts_days_after_the_first_up_to_the_last(calendar: BusinessCalendar) -> None:
    wednesday, saturday = tehran(2026, 5, 6, 9, 0), tehran(2026, 5, 9, 9, 0)

    assert calendar.working_days_between(wednesday, saturday) == 2  # Thursday, Saturday
    assert calendar.working_days_between(saturday, wednesday) == -2
    assert calendar.working_days_between(wednesday, tehran(2026, 5, 6, 13, 0)) == 0


def test_working_hours_run_only_during_the_working_day(calendar: BusinessCalendar) -> None:
    thursday_afternoon = tehran(2026, 4, 30, 13, 30)

    # one hour on Thursday, Friday is off, two more from 07:30 on Saturday
    assert calendar.add_working_hours(thursday_afternoon, 3) == tehran(2026, 5, 2, 9, 30)


def test_working_hours_that_end_with_the_day_land_at_its_close(calendar: BusinessCalendar) -> None:
    assert calendar.add_working_hours(tehran(2026, 5, 2, 7, 30), 7) == tehran(2026, 5, 2, 14, 30)
    assert calendar.add_working_hours(tehran(2026, 5, 2, 7, 30), 7.5) == tehran(2026, 5, 3, 8, 0)


def test_working_hours_started_outside_working_time_start_at_the_next_opening(
    calendar: BusinessCalendar,
) -> None:
    assert calendar.add_working_hours(tehran(2026, 5, 8, 10, 0), 1) == tehran(2026, 5, 9, 8, 30)  # Friday
    assert calendar.add_working_hours(tehran(2026, 5, 9, 5, 0), 0.5) == tehran(
        2026, 5, 9, 8, 0
    )  # before work
    assert calendar.add_working_hours(tehran(2026, 5, 9, 18, 0), 0) == tehran(
        2026, 5, 10, 7, 30
    )  # after work


def test_working_hours_skip_nowruz(calendar: BusinessCalendar) -> None:
    # Thursday 1404/12/28 at 14:00; 12/29 (oil day) and Nowruz 1405/01/01-04 are closed.
    assert calendar.add_working_hours(tehran(2026, 3, 19, 14, 0), 1) == tehran(2026, 3, 25, 8, 0)


def test_working_time_between_adds_the_open_hours_only(calendar: BusinessCalendar) -> None:
    start, end = tehran(2026, 4, 30, 13, 30), tehran(2026, 5, 2, 9, 30)

    assert calendar.working_time_between(start, end) == dt.timedelta(hours=3)
    assert calendar.working_time_between(end, start) == dt.timedelta(0)


def test_a_custom_working_day_changes_the_close(calendar: BusinessCalendar) -> None:
    longer = BusinessCalendar(workday_start=dt.time(8, 0), workday_end=dt.time(16, 0))

    assert longer.add_working_days(tehran(2026, 5, 5, 9, 0), 1) == tehran(2026, 5, 6, 16, 0)


def test_naive_datetimes_and_bad_day_counts_are_refused(calendar: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.add_working_days(dt.datetime(2026, 5, 5, 9, 0), 1)  # naive on purpose
    with pytest.raises(ValueError, match="whole number"):
        calendar.add_working_days(tehran(2026, 5, 5, 9, 0), -1)
    with pytest.raises(ValueError, match="whole number"):
        calendar.add_working_days(tehran(2026, 5, 5, 9, 0), 10**9)
