"""An administrator's recorded actions as inputs of a replay (:mod:`engine.replay`): a data edit, a skip
and a migration are re-run the way they were recorded, by the recorded admin, with the same functions
the live actions use (without today's admin check: whoever was admin then).

A migrated instance is replayed from the version it began on; at its ``migrated`` event the target
version is brought into the replay's scratch database and the replayed instance is moved onto it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from engine.admin import Admin
from engine.migration import KIND as MIGRATED
from engine.migration import Migration
from engine.store.models import HistoryEvent, Instance
from engine.versions import numbered

if TYPE_CHECKING:  # engine.replay imports this module
    from engine.replay import _Run


def first_version(tx: Session, row: Instance, recorded: list[HistoryEvent]) -> int:
    """The id of the version the instance began on: its own, unless a migration moved it since."""
    moved = next((e for e in recorded if e.kind == MIGRATED), None)
    if moved is None:
        return row.version_id
    return numbered(tx, row.process_key, int((moved.data or {}).get("from_version") or 0))


def _edit_data(run: _Run, event: HistoryEvent) -> None:
    changes = dict((event.data or {}).get("new") or {})
    with run.runtime.store.transaction() as tx:
        Admin(run.runtime).apply_edit(tx, run.instance or "", changes, actor=event.actor)


def _skip(run: _Run, event: HistoryEvent) -> None:
    task, data = run.replayed_task(event), dict(event.data or {})
    submitted = dict(data.get("submitted") or {})
    with run.runtime.store.transaction() as tx:
        Admin(run.runtime).apply_skip(tx, task, submitted, actor=event.actor, note=data.get("note"))


def _migrate(run: _Run, event: HistoryEvent) -> None:
    data: dict[str, Any] = dict(event.data or {})
    to_version = int(data.get("to_version") or 0)
    run.scratch.copy_version(run.row.process_key, to_version)
    with run.runtime.store.transaction() as tx:
        Migration(run.runtime).apply(
            tx, run.instance or "", to_version, actor=event.actor, note=data.get("note")
        )


FEEDS: dict[str, Callable[[_Run, HistoryEvent], None]] = {
    "data_edited": _edit_data,
    "skipped": _skip,
    MIGRATED: _migrate,
}
