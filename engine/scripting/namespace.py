"""A read-only namespace object for scripts, such as ``math``."""

from __future__ import annotations

from typing import Any


class Namespace:
    """A read-only bag of functions reached with a dot, e.g. ``math.floor``."""

    __slots__ = ("_items", "_name")

    def __init__(self, name: str, items: dict[str, Any]) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_items", dict(items))

    def __getattr__(self, attr: str) -> Any:
        try:
            return self._items[attr]
        except KeyError:
            raise AttributeError(f"{self._name} has no {attr!r}") from None

    def __setattr__(self, attr: str, value: Any) -> None:
        raise AttributeError(f"{self._name} is read-only")

    def __repr__(self) -> str:
        return f"<{self._name}>"
