"""The names a script can use without defining them: safe builtins, ``math``, dates and Jalali helpers.

This is a whitelist: nothing from Python's real builtins reaches a script unless it is listed here.
"""

from __future__ import annotations

import builtins
import datetime as dt
import functools
import math
from decimal import Decimal
from typing import Any

from engine.business_calendar import BusinessCalendar
from engine.clock import parse_instant
from engine.errors import ScriptError
from engine.scripting.jalali import from_jalali, jalali
from engine.scripting.limits import Limits
from engine.scripting.namespace import Namespace

_PLAIN_BUILTINS: dict[str, Any] = {
    name: getattr(builtins, name)
    for name in [
        "abs",
        "all",
        "any",
        "bool",
        "chr",
        "dict",
        "divmod",
        "enumerate",
        "filter",
        "float",
        "isinstance",
        "len",
        "list",
        "map",
        "max",
        "min",
        "ord",
        "repr",
        "reversed",
        "set",
        "sorted",
        "str",
        "tuple",
        "zip",
        "Exception",
        "ArithmeticError",
        "AssertionError",
        "IndexError",
        "KeyError",
        "LookupError",
        "NameError",
        "TypeError",
        "ValueError",
        "ZeroDivisionError",
    ]
}
_MATH_NAMES = [
    "acos",
    "asin",
    "atan",
    "atan2",
    "copysign",
    "cos",
    "degrees",
    "e",
    "exp",
    "fabs",
    "fmod",
    "fsum",
    "gcd",
    "hypot",
    "inf",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "isqrt",
    "log",
    "log10",
    "log2",
    "modf",
    "nan",
    "pi",
    "pow",
    "radians",
    "sin",
    "sqrt",
    "tan",
    "tau",
]


class _Integers:
    """Built-ins that turn values into integers, refusing ones too large to compute with."""

    def __init__(self, limits: Limits) -> None:
        self.max_digits = int(limits.max_int_bits * math.log10(2)) + 1
        self.max_sequence = limits.max_sequence

    def check(self, value: Any, what: str) -> None:
        if isinstance(value, Decimal) and value.is_finite() and value.adjusted() >= self.max_digits:
            raise ScriptError(f"{what}: the number is too large (more than {self.max_digits} digits)")

    def int(self, value: Any = 0, *base: Any) -> int:
        self.check(value, "int()")
        return int(value, *base)

    def round(self, value: Any, *ndigits: Any) -> Any:
        self.check(value, "round()")
        if ndigits and isinstance(ndigits[0], int) and abs(ndigits[0]) > self.max_digits:
            raise ScriptError(f"round(): {ndigits[0]} digits is too many (limit {self.max_digits})")
        return round(value, *ndigits)

    def floor(self, value: Any) -> Any:
        self.check(value, "math.floor()")
        return math.floor(value)

    def ceil(self, value: Any) -> Any:
        self.check(value, "math.ceil()")
        return math.ceil(value)

    def trunc(self, value: Any) -> Any:
        self.check(value, "math.trunc()")
        return math.trunc(value)

    def range(self, *args: Any) -> range:
        numbers = range(*args)
        try:
            shown = f"{len(numbers)} numbers"
            too_large = len(numbers) > self.max_sequence
        except OverflowError:
            shown, too_large = "more numbers than a computer can count", True
        if too_large:
            raise ScriptError(f"range() with {shown} is too large (limit {self.max_sequence})")
        return numbers


def guarded_sum(iterable: Any, /, start: Any = 0) -> Any:
    if isinstance(start, (str, bytes, list, tuple)):
        raise ScriptError("sum() adds numbers only; join texts with ''.join(...) and lists with a loop")
    return sum(iterable, start)


# Scripts have no access to the settings, so the calendar helpers use the default calendar (Friday
# weekend, official holidays only); NEZARAT_WEEKEND and NEZARAT_EXTRA_HOLIDAYS do not reach them.
DEFAULT_CALENDAR = BusinessCalendar()


def _instant(value: Any, what: str) -> dt.datetime:
    """A datetime, a date (its Tehran day) or ISO text as an aware instant; naive values are UTC."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0), tzinfo=DEFAULT_CALENDAR.tz)
    if isinstance(value, str):
        try:
            return parse_instant(value.strip())
        except ValueError:
            pass
    raise ScriptError(
        f"{what} expects a datetime, a date or ISO text like '2026-03-01T09:00:00Z', not {value!r}"
    )


def add_working_days(start: Any, n: Any) -> str:
    """The close of the n-th Iranian working day after ``start``, as ISO text in UTC (a timer's value)."""
    try:
        return DEFAULT_CALENDAR.add_working_days(_instant(start, "add_working_days()"), n).isoformat()
    except ValueError as exc:
        raise ScriptError(f"add_working_days(): {exc}") from None


def working_days_between(a: Any, b: Any) -> int:
    """Iranian working days after ``a``'s date up to ``b``'s date (negative when ``b`` is earlier)."""
    try:
        return DEFAULT_CALENDAR.working_days_between(
            _instant(a, "working_days_between()"), _instant(b, "working_days_between()")
        )
    except ValueError as exc:
        raise ScriptError(f"working_days_between(): {exc}") from None


@functools.lru_cache(maxsize=32)
def builtins_for(limits: Limits) -> dict[str, Any]:
    """The ``__builtins__`` of every script run under ``limits`` (shared, never modified)."""
    integers = _Integers(limits)
    math_items = {name: getattr(math, name) for name in _MATH_NAMES}
    math_items.update(floor=integers.floor, ceil=integers.ceil, trunc=integers.trunc)
    table = dict(_PLAIN_BUILTINS)
    table.update(
        int=integers.int,
        round=integers.round,
        range=integers.range,
        sum=guarded_sum,
        math=Namespace("math", math_items),
        Decimal=Decimal,
        date=dt.date,
        datetime=dt.datetime,
        timedelta=dt.timedelta,
        jalali=jalali,
        from_jalali=from_jalali,
        add_working_days=add_working_days,
        working_days_between=working_days_between,
    )
    return table


def available_names(limits: Limits) -> frozenset[str]:
    return frozenset(builtins_for(limits))
