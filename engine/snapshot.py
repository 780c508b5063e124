"""A case as it was at one event of its history: its data and which diagram elements were done, active
or failed, for the auditor's step-through.

The data is folded from the events in order: the start's data, each completion's submission, and each
script's, handler's or caught event's ``delta`` (the top-level keys it set, with their new values, and
the keys it removed); ``instance_completed`` records the whole final data and replaces the fold. A
delta that names keys without their values (a list) cannot be replayed: those keys are left out and
named in ``unrecorded``, so a page says so rather than show a later value as an earlier one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from engine.errors import NotFound
from engine.store.models import HistoryEvent

DONE = ("completed", "skipped", "gateway_taken", "service_completed", "script_completed", "end_reached",
        "timer_fired", "boundary_event")  # fmt: skip

# Events that bring data in, and where: a start's, a completion's or skip's, an administrator's edit.
_GIVEN = {"started": "data", "completed": "submitted", "skipped": "submitted", "data_edited": "new"}


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """The case after event ``seq`` (0: before the first event) of ``last_seq``."""

    seq: int
    last_seq: int
    data: dict[str, Any]
    unrecorded: tuple[str, ...]
    done: tuple[str, ...]
    active: tuple[str, ...]
    failed: tuple[str, ...]


@dataclasses.dataclass
class _Fold:
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    unrecorded: set[str] = dataclasses.field(default_factory=set)
    done: set[str] = dataclasses.field(default_factory=set)
    active: dict[str, str] = dataclasses.field(default_factory=dict)  # task id -> element id
    failed: set[str] = dataclasses.field(default_factory=set)


def as_of(events: Sequence[HistoryEvent], seq: int | None = None) -> Snapshot:
    """The case after the event numbered ``seq`` (default: the last one); ``events`` in order."""
    last = events[-1].seq if events else 0
    upto = last if seq is None else seq
    if not 0 <= upto <= last:
        raise NotFound(f"the history has no event #{upto}; it has events #1 to #{last}")
    fold = _Fold()
    for event in events:
        if event.seq > upto:
            break
        _data(fold, event)
        _markers(fold, event)
    active = set(fold.active.values())
    return Snapshot(
        seq=upto,
        last_seq=last,
        data=fold.data,
        unrecorded=tuple(sorted(fold.unrecorded)),
        done=tuple(sorted(fold.done - active - fold.failed)),
        active=tuple(sorted(active)),
        failed=tuple(sorted(fold.failed)),
    )


def _data(fold: _Fold, event: HistoryEvent) -> None:
    body = event.data or {}
    if event.kind in _GIVEN:
        given = dict(body.get(_GIVEN[event.kind]) or {})
        fold.data.update(given)
        fold.unrecorded -= set(given)
    elif event.kind == "instance_completed":
        fold.data = dict(body.get("data") or {})
        fold.unrecorded.clear()
    elif isinstance(body.get("delta"), Mapping):
        _delta(fold, body["delta"])


def _delta(fold: _Fold, delta: Mapping[str, Any]) -> None:
    for key in delta.get("removed") or []:
        fold.data.pop(key, None)
        fold.unrecorded.discard(key)
    changed = delta.get("set") or {}
    if isinstance(changed, Mapping):
        fold.data.update(changed)
        fold.unrecorded -= set(changed)
        return
    for key in changed:  # names only: the values are not in the history
        fold.data.pop(key, None)
        fold.unrecorded.add(key)


def _markers(fold: _Fold, event: HistoryEvent) -> None:
    if event.kind == "task_ready" and event.task_id and event.element_id:
        fold.active[event.task_id] = event.element_id
    elif event.kind in ("completed", "skipped", "task_cancelled") and event.task_id:
        fold.active.pop(event.task_id, None)
    elif event.kind in ("cancelled", "instance_completed"):
        fold.active.clear()
    elif event.kind == "incident" and event.element_id:
        fold.failed.add(event.element_id)
    elif event.kind == "retried":
        fold.failed.clear()
    if event.kind in DONE and event.element_id:
        fold.done.add(event.element_id)
