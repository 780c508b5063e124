"""The per-instance history: append-only events chained by sha256, and the check that the chain holds.

``hash = sha256(prev_hash + canonical JSON of (seq, at, actor, kind, element_id, task_id, data))``; the
first event's ``prev_hash`` is 64 zeros. ``verify`` recomputes the chain from the rows and names the
first event that does not match, so an edited, deleted or reordered row is found.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.store.fast import Prepared
from engine.store.models import HistoryEvent

GENESIS = "0" * 64

KINDS = (
    "started",
    "task_ready",
    "claimed",
    "unclaimed",
    "completed",
    "task_cancelled",
    "gateway_taken",
    "script_completed",
    "service_completed",
    "timer_fired",
    "boundary_event",
    "end_reached",
    "instance_completed",
    "cancelled",
    "incident",
    "retried",
)


@dataclasses.dataclass(frozen=True)
class Event:
    kind: str
    actor: str | None = None
    element_id: str | None = None
    task_id: str | None = None
    data: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Verdict:
    instance_id: str
    ok: bool
    events: int
    first_broken_seq: int | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


def chain(
    instance_id: str, events: list[Event], *, at: dt.datetime, last: tuple[int, str]
) -> tuple[list[dict[str, Any]], tuple[int, str]]:
    """Rows for ``events`` chained after ``last`` = (seq, hash), and the new last (seq, hash)."""
    seq, prev = last
    rows = []
    stamp = _stamp(at)
    for event in events:
        seq += 1
        data = to_plain(event.data)
        digest = _digest(prev, seq, stamp, event.actor, event.kind, event.element_id, event.task_id, data)
        rows.append(
            {
                "instance_id": instance_id,
                "seq": seq,
                "at": at,
                "actor": event.actor,
                "kind": event.kind,
                "element_id": event.element_id,
                "task_id": event.task_id,
                "data": data,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    return rows, (seq, prev)


_INSERT = Prepared(HistoryEvent.__table__.insert())


def insert_rows(tx: Session, rows: list[dict[str, Any]]) -> None:
    _INSERT.run_many(tx, rows)


def chain_hash(
    prev: str,
    seq: int,
    at: dt.datetime,
    actor: str | None,
    kind: str,
    element_id: str | None,
    task_id: str | None,
    data: dict[str, Any],
) -> str:
    return _digest(prev, seq, _stamp(at), actor, kind, element_id, task_id, to_plain(data))


def _stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _digest(
    prev: str,
    seq: int,
    stamp: str,
    actor: str | None,
    kind: str,
    element_id: str | None,
    task_id: str | None,
    plain: Any,
) -> str:
    """:func:`chain_hash` of data already made plain (``to_plain`` of plain data is the same data)."""
    body = canonical(
        {
            "seq": seq,
            "at": stamp,
            "actor": actor,
            "kind": kind,
            "element_id": element_id,
            "task_id": task_id,
            "data": plain,
        }
    )
    return hashlib.sha256(prev.encode("ascii") + body.encode("utf-8")).hexdigest()


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def to_plain(value: Any) -> Any:
    """Make task data JSON-plain and deterministic (Decimal and dates as strings, sets sorted)."""
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(to_plain(v) for v in value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def events_of(tx: Session, instance_id: str) -> list[HistoryEvent]:
    return list(
        tx.scalars(
            select(HistoryEvent).where(HistoryEvent.instance_id == instance_id).order_by(HistoryEvent.id)
        )
    )


def completion_of(tx: Session, task_id: str) -> HistoryEvent | None:
    query = select(HistoryEvent).where(HistoryEvent.task_id == task_id, HistoryEvent.kind == "completed")
    return tx.scalars(query.limit(1)).first()


def verify(tx: Session, instance_id: str) -> Verdict:
    rows = events_of(tx, instance_id)
    prev = GENESIS
    for expected_seq, row in enumerate(rows, start=1):
        problem = _problem(row, expected_seq, prev)
        if problem is not None:
            return Verdict(instance_id, False, len(rows), row.seq, problem)
        prev = row.hash
    return Verdict(instance_id, True, len(rows))


def _problem(row: HistoryEvent, expected_seq: int, prev: str) -> str | None:
    if row.seq != expected_seq:
        return f"event #{row.seq} stands where #{expected_seq} should (deleted or reordered)"
    if row.prev_hash != prev:
        return (
            f"event #{row.seq} does not follow the event before it (a row was deleted, reordered or replaced)"
        )
    recomputed = chain_hash(prev, row.seq, row.at, row.actor, row.kind, row.element_id, row.task_id, row.data)
    if recomputed != row.hash:
        return f"event #{row.seq} ({row.kind}) was changed after it was written"
    return None
