"""Timer rows: every waiting timer of every instance, and the claim of due ones for firing.

Rows are rewritten with each state change of their instance. ``claim_due`` locks due rows with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two schedulers never take the same row; on SQLite the
whole transaction already holds the database's write lock (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from engine import cron
from engine.clock import parse_instant
from engine.spiff.expressions import evaluate_expression, first_start_due
from engine.store.fast import Prepared
from engine.store.models import Instance, ProcessVersion, TimerRow

_DELETE_BPMN = Prepared(
    delete(TimerRow).where(TimerRow.instance_id == bindparam("instance_id"), TimerRow.kind == "bpmn")
)
_DELETE_OF_TASKS = Prepared(
    delete(TimerRow).where(TimerRow.task_id.in_(bindparam("task_ids", expanding=True))),
    expanding=["task_ids"],
)
_INSERT = Prepared(TimerRow.__table__.insert())


def replace_for(
    tx: Session, instance_id: str, timers: Iterable[tuple[str, str, str]], *, new: bool = False
) -> None:
    """Set the instance's timers to ``(task_id, element_id, due ISO)`` triples (``new``: it has none yet)."""
    if not new:
        _DELETE_BPMN.run(tx, {"instance_id": instance_id})
    rows = [
        {
            "id": task_id,
            "instance_id": instance_id,
            "version_id": None,
            "element_id": element,
            "due_at": parse_instant(due),
            "kind": "bpmn",
        }
        for task_id, element, due in timers
    ]
    _INSERT.run_many(tx, rows)


def insert_rows(tx: Session, rows: list[dict[str, object]]) -> None:
    _INSERT.run_many(tx, rows)


def drop_for_tasks(tx: Session, task_ids: Collection[str]) -> None:
    """A task that is done or gone needs no more reminders."""
    _DELETE_OF_TASKS.run(tx, {"task_ids": sorted(task_ids)})


def claim_due(tx: Session, now: dt.datetime, *, exclude: Collection[str] = ()) -> TimerRow | None:
    """Lock and return the earliest timer due before ``now`` whose instance is not in ``exclude`` and is
    not suspended.

    Strictly before: SpiffWorkflow fires a timer when its due time is earlier than now, and a row
    claimed at the exact instant would not fire.
    """
    query = select(TimerRow).where(TimerRow.due_at < now, TimerRow.instance_id.is_not(None))
    # A suspended instance's timers wait until an administrator resumes it; then the overdue ones fire.
    query = query.where(
        TimerRow.instance_id.not_in(select(Instance.id).where(Instance.status == "suspended"))
    )
    if exclude:
        query = query.where(TimerRow.instance_id.not_in(sorted(exclude)))
    query = query.order_by(TimerRow.due_at).limit(1)
    if tx.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return tx.scalars(query).first()


def next_due(tx: Session) -> dt.datetime | None:
    return tx.scalar(select(TimerRow.due_at).order_by(TimerRow.due_at).limit(1))


def schedule_starts(
    tx: Session, process_key: str, version_id: int, starts: list[tuple[str, str, str]], now: dt.datetime
) -> None:
    """The newest version of a process owns its timer start events; older versions' schedules end."""
    old = select(ProcessVersion.id).where(
        ProcessVersion.process_key == process_key, ProcessVersion.id != version_id
    )
    tx.execute(delete(TimerRow).where(TimerRow.version_id.in_(old), TimerRow.instance_id.is_(None)))
    for element, kind, expression in starts:
        due, schedule = _first(kind, expression, now)
        row = TimerRow(
            id=f"start:{version_id}:{element}",
            instance_id=None,
            version_id=version_id,
            element_id=element,
            due_at=due,
            kind="start",
            schedule=schedule,
        )
        tx.merge(row)


def _first(kind: str, expression: str, now: dt.datetime) -> tuple[dt.datetime, dict[str, object]]:
    if kind == "cycle" and cron.is_cron(expression.strip()):
        value = expression.strip()
        return cron.next_after(value, now), {"kind": "cron", "cron": value, "remaining": -1}
    value = str(evaluate_expression(expression, {}))
    due, remaining, interval = first_start_due(kind, value, now)
    return due, {"kind": kind, "remaining": remaining, "interval_s": interval}


def claim_due_start(tx: Session, now: dt.datetime) -> TimerRow | None:
    query = (
        select(TimerRow)
        .where(TimerRow.due_at < now, TimerRow.instance_id.is_(None))
        .order_by(TimerRow.due_at)
    )
    if tx.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return tx.scalars(query.limit(1)).first()


def after_start_fired(tx: Session, row: TimerRow) -> None:
    """Move a cycle to its next firing, or end a one-off schedule."""
    schedule = dict(row.schedule or {})
    if schedule.get("kind") == "cron":
        row.due_at = cron.next_after(str(schedule["cron"]), row.due_at)
        return
    remaining = int(schedule.get("remaining", 1))  # type: ignore[call-overload]
    interval = float(schedule.get("interval_s", 0))  # type: ignore[arg-type]
    if remaining == 1 or interval <= 0:
        tx.delete(row)
        return
    schedule["remaining"] = remaining - 1 if remaining > 0 else -1
    row.schedule = schedule
    row.due_at = row.due_at + dt.timedelta(seconds=interval)
