"""The period a KPI report covers: ``[since, until)``, by default the current Jalali fiscal year.

Bounds are Jalali dates (``1405/01/01``, Persian digits too), ISO dates (``2026-03-21``) — both meaning
00:00 of that day in Tehran — or ISO 8601 instants (no offset: UTC, as everywhere in Nezarat). A year
below 1700 is read as Jalali, so ``1405-01-01`` is Jalali as well. A missing bound is taken from the
fiscal year of the other one, or of now when both are missing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import jdatetime

from engine.budget import fiscal
from engine.clock import parse_instant
from engine.errors import InvalidInput
from engine.persian import TEHRAN, jalali, to_ascii_digits

_DATE = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$")
_LAST_JALALI_YEAR = 1700  # a year below this is Jalali (1405), above it Gregorian (2026)
_TICK = dt.timedelta(microseconds=1)


@dataclasses.dataclass(frozen=True)
class Period:
    """From ``since`` (included) to ``until`` (excluded); both aware instants."""

    since: dt.datetime
    until: dt.datetime

    def contains(self, at: dt.datetime) -> bool:
        return self.since <= at < self.until

    def label(self) -> str:
        """``'1405/01/01 – 1405/12/29'``: the first and the last day, both included (Tehran days)."""
        return f"{jalali(self.since)} – {jalali(self.until - _TICK)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.since.astimezone(dt.UTC).isoformat(),
            "to": self.until.astimezone(dt.UTC).isoformat(),
            "from_jalali": jalali(self.since),
            "to_jalali": jalali(self.until),
            "label": self.label(),
        }


def period(since: Any, until: Any, *, now: dt.datetime) -> Period:
    """The period from two optional bounds (text or aware datetimes); see the module docstring."""
    start, end = bound(since, "from"), bound(until, "to")
    if end is None:
        year = fiscal.year_of(start if start is not None else now)
        start, end = start or year.starts_at, year.ends_at
    elif start is None:
        start = fiscal.year_of(end - _TICK).starts_at
    if not start < end:
        raise InvalidInput(
            f"the period is empty: 'from' ({jalali(start)}) must come before 'to' ({jalali(end)})",
            hint="'to' is the first day after the period, e.g. --from 1405/01/01 --to 1406/01/01",
        )
    return Period(start, end)


def bound(value: Any, what: str) -> dt.datetime | None:
    """One bound as an aware instant; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise InvalidInput(f"'{what}' must carry a time zone")
        return value
    text = to_ascii_digits(str(value)).strip()
    try:
        day = _DATE.match(text)
        if day is not None:
            return _midnight(*(int(part) for part in day.groups()))
        return parse_instant(text)
    except ValueError:
        raise InvalidInput(
            f"'{what}' must be a Jalali date (1405/01/01), an ISO date (2026-03-21) or an ISO 8601 "
            f"instant, not {value!r}"
        ) from None


def _midnight(year: int, month: int, day: int) -> dt.datetime:
    if year < _LAST_JALALI_YEAR:
        date = jdatetime.date(year, month, day).togregorian()
    else:
        date = dt.date(year, month, day)
    return dt.datetime.combine(date, dt.time(), TEHRAN)
