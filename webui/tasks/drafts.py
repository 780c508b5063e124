"""Task drafts: what was typed into a task's form but not yet submitted (``task_drafts``).

A draft is saved by hand or when the task is referred or returned, so the next person continues from
it; opening the task shows it instead of the case's values; completing the task drops it. A draft is
of the task, not of a person: whoever may open the task sees it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, delete, select

from engine.store.fast import Prepared
from engine.store.session import Store
from engine.store.web_models import TaskDraft

_HAS_DRAFT = Prepared(select(TaskDraft.task_id).where(TaskDraft.task_id == bindparam("task_id")))


def load(store: Store, task_id: str) -> dict[str, Any] | None:
    with store.reading() as tx:
        row = tx.get(TaskDraft, task_id)
        return dict(row.values) if row is not None else None


def save(store: Store, task_id: str, values: dict[str, Any], user: str, now: dt.datetime) -> None:
    with store.transaction() as tx:
        row = tx.get(TaskDraft, task_id)
        if row is None:
            tx.add(TaskDraft(task_id=task_id, values=values, saved_by=user, saved_at=now))
        else:
            row.values, row.saved_by, row.saved_at = values, user, now


def drop(store: Store, task_id: str) -> None:
    with store.reading() as tx:  # most tasks have none: a read spares the write transaction's commit
        if _HAS_DRAFT.first(tx, {"task_id": task_id}) is None:
            return
    with store.transaction() as tx:
        tx.execute(delete(TaskDraft).where(TaskDraft.task_id == task_id))
