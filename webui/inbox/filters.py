"""The inbox's query string as a typed value: tab, filters, sort and page; unknown values fall back to defaults.

A saved filter is this query string, so what can be saved is exactly what can be typed in the URL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

TABS = ("all", "mine", "pool", "referred", "overdue")
SORTS = ("urgent", "due", "-due", "priority", "created", "-created", "name")
DUE = ("", "overdue", "today", "week")
PRIORITIES = ("", "high", "normal", "low")
SIZES = (25, 50, 100)
MAX_TEXT = 100


@dataclasses.dataclass(frozen=True)
class InboxFilters:
    tab: str = "all"
    process: str = ""
    unit: str = ""
    due: str = ""
    priority: str = ""
    q: str = ""
    sort: str = "urgent"
    page: int = 1
    size: int = SIZES[0]

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> InboxFilters:
        """The filters of a query string (``request.args``), each value checked against what it may be."""
        return cls(
            tab=_one_of(args.get("tab"), TABS),
            process=(args.get("process") or "").strip()[:200],
            unit=(args.get("unit") or "").strip()[:100],
            due=_one_of(args.get("due"), DUE),
            priority=_one_of(args.get("priority"), PRIORITIES),
            q=(args.get("q") or "").strip()[:MAX_TEXT],
            sort=_one_of(args.get("sort"), SORTS),
            page=max(1, _int(args.get("page"), 1)),
            size=_int(args.get("size"), SIZES[0]) if _int(args.get("size"), 0) in SIZES else SIZES[0],
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """The non-default values (after ``changes``), for ``url_for('inbox.index', **args)``."""
        values = dataclasses.asdict(dataclasses.replace(self, **changes))
        defaults = dataclasses.asdict(InboxFilters())
        return {key: value for key, value in values.items() if value != defaults[key]}

    def query_string(self, **changes: Any) -> str:
        return urlencode(self.args(**changes))

    @property
    def narrowed(self) -> bool:
        """True when anything but the tab, sort and paging narrows the list."""
        return bool(self.process or self.unit or self.due or self.priority or self.q)


def _one_of(value: str | None, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else allowed[0]


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default
