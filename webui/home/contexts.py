"""Typed contexts of the home blueprint's pages."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class ProcessSummary:
    process_key: str
    name: str | None
    version: int
    versions: int
    running: int


@dataclasses.dataclass(frozen=True)
class HomePage:
    """Context of ``templates/home/index.html``."""

    processes: list[ProcessSummary]
