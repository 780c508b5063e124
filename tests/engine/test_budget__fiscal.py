"""The fiscal year runs from 1 Farvardin to the last day of Esfand, in Tehran time."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.budget import fiscal
from engine.clock import FixedClock
from engine.errors import InvalidInput


def test_1405_runs_from_21_march_2026_to_20_march_2027_with_a_29_day_esfand() -> None:
    year = fiscal.fiscal_year(1405)
    assert (year.first_day, year.last_day) == (dt.date(2026, 3, 21), dt.date(2027, 3, 20))
    assert not year.leap
    assert year.label() == "1405/01/01 – 1405/12/29"


def test_a_leap_year_ends_on_30_esfand() -> None:
    year = fiscal.fiscal_year(1403)
    assert year.leap
    assert year.last_day == dt.date(2025, 3, 20)
    assert year.label() == "1403/01/01 – 1403/12/30"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 20), 1404),  # 1404/12/29, the last day of 1404
        (dt.date(2026, 3, 21), 1405),  # 1405/01/01
        (dt.date(2027, 3, 20), 1405),  # 1405/12/29
        (dt.date(2027, 3, 21), 1406),  # 1406/01/01
        (dt.date(2025, 3, 20), 1403),  # 1403/12/30 of a leap year
    ],
)
def test_each_day_belongs_to_its_jalali_year(day: dt.date, expected: int) -> None:
    assert fiscal.year_of(day).year == expected
    assert fiscal.fiscal_year(expected).contains(day)


def test_the_year_turns_at_midnight_in_tehran_not_in_utc() -> None:
    last_minute = dt.datetime(2026, 3, 20, 20, 29, tzinfo=dt.UTC)  # 23:59 on 1404/12/29 in Tehran
    first_minute = dt.datetime(2026, 3, 20, 20, 30, tzinfo=dt.UTC)  # 00:00 on 1405/01/01 in Tehran
    assert fiscal.year_of(last_minute).year == 1404
    assert fiscal.year_of(first_minute).year == 1405
    assert fiscal.fiscal_year(1405).starts_at == first_minute
    assert fiscal.fiscal_year(1404).ends_at == first_minute


def test_the_current_year_comes_from_the_clock() -> None:
    assert fiscal.current(FixedClock.at("2026-03-20T23:59:59+03:30")).year == 1404
    assert fiscal.current(FixedClock.at("2026-03-21T00:00:00+03:30")).year == 1405


@pytest.mark.parametrize("bad", [True, 1405.0, "1405", 99, 3000])
def test_a_year_must_be_a_plausible_jalali_year(bad: object) -> None:
    with pytest.raises(InvalidInput):
        fiscal.fiscal_year(bad)  # type: ignore[arg-type]


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(InvalidInput, match="naive"):
        fiscal.year_of(dt.datetime(2026, 3, 21, 12, 0))
