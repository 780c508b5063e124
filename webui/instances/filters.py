"""The instance search's query string as a typed value, turned into the engine's search criteria."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from engine.instance_search import STATUSES, Criteria

SIZE = 25
MAX_TEXT = 100


@dataclasses.dataclass(frozen=True)
class SearchFilters:
    process: str = ""
    unit: str = ""
    status: str = ""
    started_from: str = ""
    started_to: str = ""
    key: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> SearchFilters:
        """The filters of ``request.args``; an unknown status is no status, a bad page is the first."""
        status = (args.get("status") or "").strip()
        return cls(
            process=(args.get("process") or "").strip()[:200],
            unit=(args.get("unit") or "").strip()[:100],
            status=status if status in STATUSES else "",
            started_from=(args.get("from") or "").strip()[:40],
            started_to=(args.get("to") or "").strip()[:40],
            key=(args.get("key") or "").strip()[:MAX_TEXT],
            page=_page(args.get("page")),
        )

    def criteria(self) -> Criteria:
        return Criteria(
            process_key=self.process or None,
            unit=self.unit or None,
            status=self.status or None,
            started_from=self.started_from or None,
            started_to=self.started_to or None,
            business_key=self.key or None,
            page=self.page,
            size=SIZE,
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """The non-empty values (after ``changes``) under their query names, for ``url_for``."""
        values = dataclasses.replace(self, **changes)
        named = {
            "process": values.process,
            "unit": values.unit,
            "status": values.status,
            "from": values.started_from,
            "to": values.started_to,
            "key": values.key,
            "page": values.page if values.page > 1 else "",
        }
        return {name: value for name, value in named.items() if value}


def _page(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 100_000 else 1
