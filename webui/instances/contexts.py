"""Typed contexts of the instance search and the instance page."""

from __future__ import annotations

import dataclasses
from typing import Any

from webui.instances.data_view import Datum
from webui.instances.filters import SearchFilters
from webui.instances.timeline import Entry
from webui.instances.verdict import VerifyReport
from webui.people import Option


@dataclasses.dataclass(frozen=True)
class SearchPage:
    """Context of ``templates/instances/search.html``; ``problem``: why the filters found nothing (a date
    that is not a date, an unknown unit)."""

    filters: SearchFilters
    instances: list[dict[str, Any]]
    total: int
    pages: int
    processes: list[Option]
    units: list[Option]
    statuses: list[Option]
    status_labels: dict[str, str]
    unit_titles: dict[str, str]
    problem: str | None


@dataclasses.dataclass(frozen=True)
class Stepper:
    """Where the step-through stands: the shown event ``seq`` of ``last``, and the events around it."""

    seq: int
    last: int
    previous: int | None
    next: int | None

    @classmethod
    def at(cls, seq: int, last: int) -> Stepper:
        return cls(seq, last, seq - 1 if seq > 1 else None, seq + 1 if seq < last else None)


@dataclasses.dataclass(frozen=True)
class InstancePage:
    """Context of ``templates/instances/page.html``: the case as of event ``stepper.seq``; ``actions``: the
    admin's actions the instance's status allows (none for anyone not in the ``admin`` group)."""

    instance: dict[str, Any]
    status_label: str
    process_name: str
    version: int
    unit_title: str | None
    entries: list[Entry]
    current: Entry | None
    stepper: Stepper
    data: list[Datum]
    unit_titles: dict[str, str]
    unrecorded: tuple[str, ...]
    marks: dict[str, list[str]]
    report: VerifyReport | None
    actions: list[str]
