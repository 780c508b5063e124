"""Working days: the official Iranian holidays (from ``holidays``), the configurable weekend, Jalali dates."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pytest

from engine.business_calendar import EXTRA_HOLIDAY_NAME, BusinessCalendar
from engine.errors import InvalidInput
from engine.settings import from_env


def jalali_day(year: int, month: int, day: int) -> dt.date:
    return jdatetime.date(year, month, day).togregorian()


@pytest.fixture
def calendar() -> BusinessCalendar:
    return BusinessCalendar()


@pytest.mark.parametrize("day", [1, 2, 3, 4])
def test_nowruz_1405_farvardin_1_to_4_are_holidays(calendar: BusinessCalendar, day: int) -> None:
    date = jalali_day(1405, 1, day)

    assert not calendar.is_working_day(date)
    assert "نوروز" in (calendar.holiday_name(date) or "")


def test_the_first_working_day_after_nowruz_1405_is_farvardin_5(calendar: BusinessCalendar) -> None:
    assert jalali_day(1405, 1, 1) == dt.date(2026, 3, 21)
    assert calendar.is_working_day(jalali_day(1405, 1, 5))  # Wednesday 25 March 2026
    assert calendar.holiday_name(jalali_day(1405, 1, 5)) is None


@pytest.mark.parametrize(
    ("date", "name"),
    [
        (jalali_day(1404, 1, 1), "نوروز"),  # 2025-03-21
        (jalali_day(1404, 1, 12), "جمهوری اسلامی"),
        (jalali_day(1405, 1, 13), "طبیعت"),
        (jalali_day(1404, 3, 14), "امام خمینی"),  # 2025-06-04
        (jalali_day(1404, 11, 22), "انقلاب"),  # 2026-02-11
        (jalali_day(1406, 1, 1), "نوروز"),  # 2027-03-21
        (dt.date(2025, 7, 5), "تاسوعا"),  # 9 Muharram 1447
        (dt.date(2025, 7, 6), "عاشورا"),
        (dt.date(2026, 6, 24), "تاسوعا"),  # 3 Tir 1405
        (dt.date(2026, 6, 25), "عاشورا"),  # 4 Tir 1405
    ],
)
def test_known_official_holidays_of_1404_and_1405_are_in_the_librarys_data(
    calendar: BusinessCalendar, date: dt.date, name: str
) -> None:
    assert name in (calendar.holiday_name(date) or ""), calendar.holiday_name(date)
    assert not calendar.is_working_day(date)


def test_friday_is_the_default_weekend_and_thursday_a_working_day(calendar: BusinessCalendar) -> None:
    thursday, friday = dt.date(2026, 5, 7), dt.date(2026, 5, 8)

    assert calendar.is_working_day(thursday)
    assert not calendar.is_working_day(friday)
    assert calendar.holiday_name(friday) is None  # a weekend is not a holiday


def test_thursday_can_be_made_part_of_the_weekend() -> None:
    calendar = BusinessCalendar.from_settings(from_env({"NEZARAT_WEEKEND": "Thursday, friday"}))

    assert calendar.weekend == frozenset({3, 4})
    assert not calendar.is_working_day(dt.date(2026, 5, 7))
    assert calendar.is_working_day(dt.date(2026, 5, 9))  # Saturday


def test_extra_holidays_from_the_settings_are_closed_days_with_a_name() -> None:
    calendar = BusinessCalendar.from_settings(from_env({"NEZARAT_EXTRA_HOLIDAYS": "2026-05-06, 2026-05-09"}))

    assert not calendar.is_working_day(dt.date(2026, 5, 6))
    assert calendar.holiday_name(dt.date(2026, 5, 9)) == EXTRA_HOLIDAY_NAME
    assert calendar.is_working_day(dt.date(2026, 5, 5))


@pytest.mark.parametrize(
    "environ",
    [
        {"NEZARAT_WEEKEND": "fryday"},
        {"NEZARAT_WEEKEND": "monday,tuesday,wednesday,thursday,friday,saturday,sunday"},
        {"NEZARAT_EXTRA_HOLIDAYS": "1405/01/05"},
    ],
)
def test_bad_calendar_settings_are_refused_at_startup_naming_the_setting(environ: dict[str, str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        from_env(environ)
    assert next(iter(environ)) in caught.value.message


def test_a_calendar_without_any_working_day_is_refused() -> None:
    with pytest.raises(ValueError, match="weekend"):
        BusinessCalendar(weekend=range(7))


def test_jalali_dates_are_written_year_month_day_and_instants_read_as_their_tehran_day(
    calendar: BusinessCalendar,
) -> None:
    assert calendar.jalali(dt.date(2024, 4, 3)) == "1403/01/15"
    # 21:00 UTC on 20 March 2026 is 00:30 on 21 March in Tehran.
    assert calendar.jalali(dt.datetime(2026, 3, 20, 21, 0, tzinfo=dt.UTC)) == "1405/01/01"
    assert calendar.jalali(dt.datetime(2026, 3, 20, 20, 0, tzinfo=dt.UTC)) == "1404/12/29"
