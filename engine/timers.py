"""Timer rows: every waiting timer of every instance, and the claim of due ones for firing.

Rows are rewritten with each state change of their instance. ``claim_due`` locks due rows with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two schedulers never take the same row; on SQLite the
whole transaction already holds the database's write lock (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from engine.clock import parse_instant
from engine.store.models import TimerRow


def replace_for(tx: Session, instance_id: str, timers: Iterable[tuple[str, str, str]]) -> None:
    """Set the instance's timers to ``(task_id, element_id, due ISO)`` triples."""
    tx.execute(delete(TimerRow).where(TimerRow.instance_id == instance_id))
    rows = [
        {
            "id": task_id,
            "instance_id": instance_id,
            "version_id": None,
            "element_id": element,
            "due_at": parse_instant(due),
        }
        for task_id, element, due in timers
    ]
    if rows:
        tx.execute(insert(TimerRow), rows)


def claim_due(tx: Session, now: dt.datetime, *, limit: int = 100) -> list[TimerRow]:
    query = select(TimerRow).where(TimerRow.due_at <= now).order_by(TimerRow.due_at).limit(limit)
    if tx.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(tx.scalars(query))


def next_due(tx: Session) -> dt.datetime | None:
    return tx.scalar(select(TimerRow.due_at).order_by(TimerRow.due_at).limit(1))
