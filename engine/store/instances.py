"""Instance rows: read without the state column, read the state only on a cache miss, and save with
the optimistic revision check that turns a lost race into :class:`Conflict`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from engine.errors import Conflict, NotFound
from engine.store.fast import Prepared
from engine.store.models import Instance


@dataclasses.dataclass
class Head:
    """An instance without its state: what every operation needs before it decides to load the workflow."""

    id: str
    version_id: int
    process_key: str
    status: str
    revision: int
    org_unit: str | None
    last_seq: int
    last_hash: str
    started_at: dt.datetime


_HEAD = (
    Instance.id,
    Instance.version_id,
    Instance.process_key,
    Instance.status,
    Instance.revision,
    Instance.org_unit,
    Instance.last_seq,
    Instance.last_hash,
    Instance.started_at,
)


# Built once: these run on every step, and building a statement costs more than running it on SQLite.
_HEAD_QUERY = Prepared(select(*_HEAD).where(Instance.id == bindparam("instance_id")))
_STATE_QUERY = Prepared(select(Instance.state).where(Instance.id == bindparam("instance_id")))
_SAVE = Prepared(
    update(Instance).where(Instance.id == bindparam("b_id"), Instance.revision == bindparam("b_revision"))
)
_INSERT = Prepared(insert(Instance))
# The head as extra columns of another query (the task lookup of a step), named instance_<column>.
HEAD_COLUMNS = tuple(c.label(f"instance_{c.key}") for c in _HEAD[1:])


def all_ids(tx: Session) -> list[str]:
    """Every instance, oldest first."""
    return list(tx.scalars(select(Instance.id).order_by(Instance.started_at)))


def head(tx: Session, instance_id: str) -> Head:
    row = _HEAD_QUERY.first(tx, {"instance_id": instance_id})
    if row is None:
        raise NotFound(f"instance {instance_id} does not exist")
    return Head(*row)


def head_of(row: Any) -> Head:
    """The Head in a row that selected :data:`HEAD_COLUMNS` beside an ``instance_id`` column."""
    return Head(row.instance_id, *(getattr(row, c.name) for c in HEAD_COLUMNS))


def state(tx: Session, instance_id: str) -> str:
    return _STATE_QUERY.scalar(tx, {"instance_id": instance_id}) or ""


def insert_new(tx: Session, row: dict[str, Any]) -> int:
    """Write a new instance's row, state included, at revision 1 (one INSERT, no empty row to update)."""
    _INSERT.run(tx, {**row, "revision": 1})
    return 1


def save(tx: Session, current: Head, changes: dict[str, Any], *, now: dt.datetime) -> int:
    """Write ``changes`` as revision+1 if the row is still at ``current.revision``; return the new revision."""
    values = {"revision": current.revision + 1, "updated_at": now, **changes}
    matched = _SAVE.run(tx, {"b_id": current.id, "b_revision": current.revision, **values})
    if matched != 1:
        raise Conflict(
            f"instance {current.id} was changed by someone else (revision {current.revision} is stale)",
            hint="reload and try again",
        )
    return current.revision + 1
