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
    )
    return table


def available_names(limits: Limits) -> frozenset[str]:
    return frozenset(builtins_for(limits))
