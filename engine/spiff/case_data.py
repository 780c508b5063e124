"""What may be stored as case data: JSON values (text, numbers, booleans, null, lists, dicts) and Decimal.

A script or handler that leaves anything else behind (a ``date`` from ``from_jalali``, a ``set``, NaN)
would make the instance unstorable at the end of the step, or come back changed after a reload. We
check what they leave and stop the step with an incident that names the variable and the fix.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

_FIXES = {
    dt.datetime: ("a datetime", "store an ISO string, e.g. {p}.isoformat()"),
    dt.date: ("a date", "store an ISO string, e.g. {p}.isoformat()"),
    dt.time: ("a time", "store an ISO string, e.g. {p}.isoformat()"),
    dt.timedelta: ("a timedelta", "store a number of seconds, e.g. {p}.total_seconds()"),
    set: ("a set", "store a list, e.g. sorted({p})"),
    frozenset: ("a frozenset", "store a list, e.g. sorted({p})"),
    bytes: ("bytes", "store text"),
}


def first_problem(data: Mapping[str, Any]) -> str | None:
    """Why ``data`` cannot be stored (the first variable that cannot), or None."""
    for name, value in data.items():
        problem = _problem(value, name, name)
        if problem is not None:
            return problem
    return None


def _problem(value: Any, name: str, path: str) -> str | None:
    if value is None or isinstance(value, (str, bool, int, Decimal)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else _say(name, path, repr(value), "store a number or None")
    if type(value) in (list, tuple):
        return _first(_problem(item, name, f"{path}[{i}]") for i, item in enumerate(value))
    if type(value) is dict:
        return _first(_entry(key, item, name, path) for key, item in value.items())
    what, fix = next(
        (said for kind, said in _FIXES.items() if isinstance(value, kind)),
        (f"a {type(value).__name__}", "store plain data: text, numbers, lists and dicts"),
    )
    return _say(name, path, what, fix.format(p=path))


def _entry(key: Any, item: Any, name: str, path: str) -> str | None:
    if not isinstance(key, str):
        return _say(name, path, f"a dict with the key {key!r}", f"dict keys must be text, e.g. str({key!r})")
    return _problem(item, name, f"{path}[{key!r}]")


def _first(problems: Any) -> str | None:
    return next((p for p in problems if p is not None), None)


def _say(name: str, path: str, what: str, fix: str) -> str:
    where = "" if path == name else f" at {path}"
    return f"variable '{name}' holds {what}{where}, which cannot be stored; {fix}"
