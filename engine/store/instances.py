"""Instance rows: read without the state column, read the state only on a cache miss, and save with
the optimistic revision check that turns a lost race into :class:`Conflict`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from engine.errors import Conflict, NotFound
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
_HEAD_QUERY = select(*_HEAD).where(Instance.id == bindparam("instance_id"))
_STATE_QUERY = select(Instance.state).where(Instance.id == bindparam("instance_id"))
_SAVE = update(Instance).where(Instance.id == bindparam("b_id"), Instance.revision == bindparam("b_revision"))


def head(tx: Session, instance_id: str) -> Head:
    row = tx.connection().execute(_HEAD_QUERY, {"instance_id": instance_id}).one_or_none()
    if row is None:
        raise NotFound(f"instance {instance_id} does not exist")
    return Head(*row)


def state(tx: Session, instance_id: str) -> str:
    return tx.connection().scalar(_STATE_QUERY, {"instance_id": instance_id}) or ""


def save(tx: Session, current: Head, changes: dict[str, Any], *, now: dt.datetime) -> int:
    """Write ``changes`` as revision+1 if the row is still at ``current.revision``; return the new revision."""
    values = {"revision": current.revision + 1, "updated_at": now, **changes}
    result = tx.connection().execute(_SAVE, {"b_id": current.id, "b_revision": current.revision, **values})
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            f"instance {current.id} was changed by someone else (revision {current.revision} is stale)",
            hint="reload and try again",
        )
    return current.revision + 1
