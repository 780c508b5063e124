"""The Iranian business calendar: weekends, official holidays, working hours and Jalali dates.

Official holidays come from the ``holidays`` package (``country_holidays("IR")``, Persian names),
loaded once per Gregorian year; an administrator adds declared closures with ``extra_holidays``. The
weekend is configurable (Friday by default; many offices also close on Thursday).

Counting rules, used for SLA deadlines (processes/README.md, "Deadlines (SLA)"):

- Dates are Tehran dates: an instant belongs to the local (Asia/Tehran) day it falls on.
- ``add_working_days(start, n)`` ends at the close of the n-th working day *after* the start's date;
  the start's own day never counts, whatever the hour. A task ready on Wednesday with Thursday and
  Friday off and a holiday on Saturday, n=1, is due on Sunday at ``workday_end`` (14:30 Tehran).
  n=0 is the close of the start's day if that is a working day not yet closed, else of the next one.
- ``add_working_hours(start, h)`` counts only time between ``workday_start`` and ``workday_end`` of
  working days; time outside it (evenings, weekends, holidays) does not run.
- ``working_days_between(a, b)`` counts working days ``d`` with ``a.date < d <= b.date`` (negative
  when ``b`` is before ``a``), so ``working_days_between(a, add_working_days(a, n)) == n``.

All instants in and out are timezone-aware; results are in UTC.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import holidays

from engine.persian import TEHRAN, jalali

if TYPE_CHECKING:
    from engine.settings import Settings

UTC = dt.UTC
FRIDAY = 4
# Guards against endless walks (a script asking for a billion working days): about 40 years.
MAX_DAYS = 15_000
EXTRA_HOLIDAY_NAME = "تعطیلی اعلام‌شده"
_ONE_DAY = dt.timedelta(days=1)


@functools.lru_cache(maxsize=128)
def official_holidays(year: int) -> Mapping[dt.date, str]:
    """Iran's official holidays of one Gregorian year, with their Persian names."""
    return dict(holidays.country_holidays("IR", years=year, language="fa_IR"))


def _require_aware(value: dt.datetime, what: str) -> None:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, not {value!r}")


class BusinessCalendar:
    """Working days and hours of Iranian public offices."""

    def __init__(
        self,
        weekend: Iterable[int] = frozenset({FRIDAY}),
        extra_holidays: Iterable[dt.date] = (),
        tz: dt.tzinfo = TEHRAN,
        workday_start: dt.time = dt.time(7, 30),
        workday_end: dt.time = dt.time(14, 30),
    ) -> None:
        self.weekend = frozenset(weekend)
        if not self.weekend <= set(range(7)) or len(self.weekend) == 7:
            raise ValueError(
                f"weekend must be some (not all) of the weekdays 0-6, not {sorted(self.weekend)}"
            )
        if workday_start >= workday_end:
            raise ValueError("the working day must start before it ends")
        self.extra_holidays = frozenset(extra_holidays)
        self.tz = tz
        self.workday_start = workday_start
        self.workday_end = workday_end

    @classmethod
    def from_settings(cls, settings: Settings) -> BusinessCalendar:
        """The calendar of ``NEZARAT_WEEKEND`` and ``NEZARAT_EXTRA_HOLIDAYS``."""
        return cls(weekend=settings.weekend, extra_holidays=settings.extra_holidays)

    # -- days ---------------------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() not in self.weekend and self.holiday_name(day) is None

    def holiday_name(self, day: dt.date) -> str | None:
        """The Persian name of the official holiday on ``day``, or None (weekends have no name)."""
        name = official_holidays(day.year).get(day)
        if name is None and day in self.extra_holidays:
            return EXTRA_HOLIDAY_NAME
        return name

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        for _ in range(MAX_DAYS):
            day += _ONE_DAY
            if self.is_working_day(day):
                return day
        raise ValueError(f"no working day within {MAX_DAYS} days after {day}")

    def local_date(self, instant: dt.datetime) -> dt.date:
        _require_aware(instant, "the instant")
        return instant.astimezone(self.tz).date()

    def day_start(self, day: dt.date) -> dt.datetime:
        """When work begins on ``day``, in UTC."""
        return dt.datetime.combine(day, self.workday_start, tzinfo=self.tz).astimezone(UTC)

    def day_end(self, day: dt.date) -> dt.datetime:
        """When work ends on ``day``, in UTC."""
        return dt.datetime.combine(day, self.workday_end, tzinfo=self.tz).astimezone(UTC)

    def jalali(self, value: dt.date) -> str:
        """The Jalali date as ``'1403/01/15'``; a datetime is read as its Tehran date."""
        if isinstance(value, dt.datetime):
            value = self.local_date(value)
        return jalali(value)

    # -- deadlines ----------------------------------------------------------------------------------

    def add_working_days(self, start: dt.datetime, n: int) -> dt.datetime:
        """The close of the n-th working day after ``start``'s Tehran date (see the module's rules)."""
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_DAYS:
            raise ValueError(f"the number of working days must be a whole number 0-{MAX_DAYS}, not {n!r}")
        day = self.local_date(start)
        if n == 0:
            if self.is_working_day(day) and start <= self.day_end(day):
                return self.day_end(day)
            return self.day_end(self.next_working_day(day))
        for _ in range(n):
            day = self.next_working_day(day)
        return self.day_end(day)

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """``start`` plus ``hours`` of working time (only working hours of working days run)."""
        return self.add_working_time(start, dt.timedelta(hours=hours))

    def add_working_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """``start`` plus ``amount`` of working time; a zero amount moves ``start`` into working time."""
        if amount < dt.timedelta(0) or amount > self._working_day_length() * MAX_DAYS:
            raise ValueError(f"working time must be between zero and {MAX_DAYS} working days, not {amount}")
        day = self.local_date(start)
        current, remaining = start.astimezone(UTC), amount
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        for _ in range(MAX_DAYS + 2):
            current = max(current, self.day_start(day))
            available = self.day_end(day) - current
            if available > dt.timedelta(0) and remaining <= available:
                return current + remaining
            remaining -= max(available, dt.timedelta(0))
            day = self.next_working_day(day)
        raise ValueError("working time too large")  # unreachable: the amount is bounded above

    def working_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """How much working time lies between ``a`` and ``b`` (zero if ``b`` is not after ``a``)."""
        total = dt.timedelta(0)
        for day in self._dates(self.local_date(a), self.local_date(b)):
            if self.is_working_day(day):
                overlap = min(b, self.day_end(day)) - max(a, self.day_start(day))
                total += max(overlap, dt.timedelta(0))
        return total

    def working_days_between(self, a: dt.datetime, b: dt.datetime) -> int:
        """Working days after ``a``'s date up to and including ``b``'s date; negative if ``b`` < ``a``."""
        first, last = self.local_date(a), self.local_date(b)
        if last < first:
            return -self.working_days_between(b, a)
        return sum(1 for day in self._dates(first + _ONE_DAY, last) if self.is_working_day(day))

    def _working_day_length(self) -> dt.timedelta:
        anchor = dt.date(2000, 1, 1)
        return dt.datetime.combine(anchor, self.workday_end) - dt.datetime.combine(anchor, self.workday_start)

    @staticmethod
    def _dates(first: dt.date, last: dt.date) -> Iterable[dt.date]:
        if (last - first).days > MAX_DAYS:
            raise ValueError(f"the two dates are more than {MAX_DAYS} days apart")
        day = first
        while day <= last:
            yield day
            day += _ONE_DAY
