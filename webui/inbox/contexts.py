"""Typed context of the inbox page."""

from __future__ import annotations

import dataclasses
from typing import Any

from webui.inbox.filters import InboxFilters
from webui.inbox.saved import Saved
from webui.people import Option


@dataclasses.dataclass(frozen=True)
class InboxPage:
    """Context of ``templates/inbox/list.html``."""

    filters: InboxFilters
    tasks: list[dict[str, Any]]
    total: int
    pages: int
    tabs: dict[str, int]
    processes: list[Option]
    units: list[Option]
    unit_titles: dict[str, str]
    process_titles: dict[str, str]
    saved: list[Saved]
    colleagues: list[Option]
