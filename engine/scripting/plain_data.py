"""Which values may leave a script as process data: plain scalars, and dicts, lists and tuples of them."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from decimal import Decimal
from typing import Any

PLAIN_SCALARS = (str, int, float, bool, type(None), Decimal, dt.date, dt.datetime)
_CONTAINERS = (dict, list, tuple)


def is_plain(value: Any, max_nodes: int) -> bool:
    """True if ``value`` is plain data of at most ``max_nodes`` values (cycles and shared blow-ups fail)."""
    stack = [value]
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > max_nodes:
            return False
        if isinstance(item, PLAIN_SCALARS):
            continue
        if type(item) is dict:
            stack.extend(item.keys())
            stack.extend(item.values())
        elif type(item) in (list, tuple):
            stack.extend(item)
        else:
            return False
    return True


def private_copy(names: dict[str, Any]) -> dict[str, Any]:
    """A copy a script may change freely: containers are copied deeply, everything else is shared."""
    result: dict[str, Any] = {}
    for key, value in names.items():
        if isinstance(value, _CONTAINERS):
            with contextlib.suppress(Exception):  # an odd object inside: share it rather than fail
                value = copy.deepcopy(value)
        result[key] = value
    return result


def store_results(names: dict[str, Any], space: dict[str, Any], max_nodes: int) -> None:
    """Copy the variables a script left in ``space`` back into ``names``.

    Deleted variables are removed; new and changed ones are copied if they are plain data; a variable
    that now holds something else (a function, a set, a module-like helper) is dropped.
    """
    for key in [key for key in names if key not in space]:
        del names[key]
    for key, value in space.items():
        if key.startswith("_"):
            continue
        if key in names and names[key] is value and not isinstance(value, _CONTAINERS):
            continue
        if is_plain(value, max_nodes):
            names[key] = value
        elif key in names:
            del names[key]
