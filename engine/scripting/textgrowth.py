"""How long the result of a text or list method that can grow its input will be, before it runs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# Methods whose result can be much longer than the object they are called on.
_GROWERS = {
    str: {"join", "replace", "ljust", "rjust", "center", "zfill", "expandtabs"},
    bytes: {"join", "replace", "ljust", "rjust", "center", "zfill", "expandtabs"},
    list: {"extend"},
    int: {"to_bytes"},
}
# Refused outright: str.translate can map one character to a long text, and a Decimal with a large
# exponent takes minutes to turn into an exact integer ratio.
_REFUSED_ON_VALUES = {str: {"translate"}, Decimal: {"as_integer_ratio"}}
_REFUSAL_REASONS = {
    "translate": "use .replace() instead",
    "as_integer_ratio": "it can take minutes for large numbers",
}


def refusal_reason(obj: Any, name: str) -> str | None:
    """Why ``obj.name`` is refused: a growing method reached through its class (``str.join``, which
    would skip the size check) or a method refused outright (``s.translate``); None if allowed."""
    if isinstance(obj, type):
        if any(issubclass(obj, base) and name in names for base, names in _GROWERS.items()):
            return "call it on a value instead, e.g. ', '.join(items)"
        return None
    for base, names in _REFUSED_ON_VALUES.items():
        if isinstance(obj, base) and name in names:
            return _REFUSAL_REASONS[name]
    return None


def growing_method_size(
    obj: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any] | None = None
) -> int | None:
    """The result length of ``obj.name(*args, **kwargs)``; None when the method cannot grow its input.

    With ``kwargs=None`` only answers whether ``name`` is a growing method (0 if so).
    """
    base = next((b for b in _GROWERS if isinstance(obj, b) and not isinstance(obj, type)), None)
    if base is None or name not in _GROWERS[base]:
        return None
    if kwargs is None:
        return 0
    return _SIZERS[name](obj, args, kwargs)


def _arg(args: tuple[Any, ...], kwargs: dict[str, Any], index: int, key: str, default: Any) -> Any:
    if len(args) > index:
        return args[index]
    return kwargs.get(key, default)


def _join_size(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    items = args[0] if args else ()
    total = sum(len(item) for item in items if isinstance(item, (str, bytes)))
    return total + len(obj) * max(len(items) - 1, 0)


def _replace_size(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    old, new = _arg(args, kwargs, 0, "old", ""), _arg(args, kwargs, 1, "new", "")
    count = _arg(args, kwargs, 2, "count", -1)
    if not isinstance(old, (str, bytes)) or not isinstance(new, (str, bytes)):
        return len(obj)
    hits = obj.count(old) if old else len(obj) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return len(obj) + hits * max(len(new) - len(old), 0)


def _width_size(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    width = _arg(args, kwargs, 0, "width", 0)
    return max(len(obj), width) if isinstance(width, int) else len(obj)


def _tabs_size(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    tabsize = _arg(args, kwargs, 0, "tabsize", 8)
    tabs = obj.count("\t" if isinstance(obj, str) else b"\t")
    return len(obj) + tabs * tabsize if isinstance(tabsize, int) else len(obj)


def _length_size(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    length = _arg(args, kwargs, 0, "length", 1)
    return length if isinstance(length, int) else 0


def _extend_size(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    other = args[0] if args else ()
    return len(obj) + (len(other) if hasattr(other, "__len__") else 0)


_SIZERS = {
    "join": _join_size,
    "replace": _replace_size,
    "ljust": _width_size,
    "rjust": _width_size,
    "center": _width_size,
    "zfill": _width_size,
    "expandtabs": _tabs_size,
    "extend": _extend_size,
    "to_bytes": _length_size,
}


def count_nodes(value: Any, cap: int) -> int:
    """How many values ``str(value)`` would visit, counting shared parts each time; stops above ``cap``.

    A list built by ``x = [x, x]`` forty times is small in memory but ``str(x)`` would be enormous.
    """
    stack = [value]
    seen = 0
    while stack and seen <= cap:
        item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
    return seen
