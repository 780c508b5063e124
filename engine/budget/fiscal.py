"""The Iranian fiscal year: a Jalali year, from 1 Farvardin to the last day of Esfand (29th, or 30th in a
leap year), in Tehran time.

Whether a moment belongs to 1404 or 1405 depends on the wall clock in Tehran, not in UTC: 20:30 UTC on
20 March 2026 is already 00:00 on 1 Farvardin 1405 there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import jdatetime

from engine.clock import Clock
from engine.errors import InvalidInput
from engine.persian import TEHRAN

# A fixed +03:30 is exact at every year boundary: Iran's daylight saving (abolished in 1401) began on
# 2 Farvardin and ended on 30 Shahrivar, never across 1 Farvardin; and it needs no tz database.

# jdatetime's arithmetic calendar agrees with the official one over this range.
FIRST_YEAR, LAST_YEAR = 1300, 1500


@dataclasses.dataclass(frozen=True)
class FiscalYear:
    """One fiscal year; ``first_day`` and ``last_day`` are Gregorian dates, both inside the year."""

    year: int
    first_day: dt.date
    last_day: dt.date

    @property
    def leap(self) -> bool:
        return (self.last_day - self.first_day).days == 365

    @property
    def starts_at(self) -> dt.datetime:
        """00:00 on 1 Farvardin in Tehran, as an aware datetime."""
        return dt.datetime.combine(self.first_day, dt.time(), TEHRAN)

    @property
    def ends_at(self) -> dt.datetime:
        """The first instant after the year: 00:00 on the next 1 Farvardin in Tehran."""
        return dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time(), TEHRAN)

    def contains(self, when: dt.date | dt.datetime) -> bool:
        return year_of(when).year == self.year

    def label(self) -> str:
        """``'1405/01/01 – 1405/12/29'``."""
        last = jdatetime.date.fromgregorian(date=self.last_day)
        return f"{self.year}/01/01 – {self.year}/12/{last.day:02d}"


def fiscal_year(year: int) -> FiscalYear:
    """The fiscal year ``year`` (a Jalali year such as 1405)."""
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"سال مالی باید یک سال شمسی میان {FIRST_YEAR} و {LAST_YEAR} باشد، نه {year!r}")
    first = jdatetime.date(year, 1, 1).togregorian()
    following = jdatetime.date(year + 1, 1, 1).togregorian()
    return FiscalYear(year, first, following - dt.timedelta(days=1))


def year_of(when: dt.date | dt.datetime) -> FiscalYear:
    """The fiscal year a day (a Gregorian date) or an aware instant (read in Tehran time) falls in."""
    if isinstance(when, dt.datetime):
        if when.tzinfo is None:
            raise InvalidInput("a naive datetime has no place in time; use engine.clock")
        when = when.astimezone(TEHRAN).date()
    return fiscal_year(jdatetime.date.fromgregorian(date=when).year)


def current(clock: Clock) -> FiscalYear:
    """The fiscal year it is now."""
    return year_of(clock.now())
