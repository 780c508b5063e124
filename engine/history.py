"""The per-instance history: append-only events chained by sha256, and the check that the chain holds.

``hash = sha256(prev_hash + canonical JSON of (seq, at, actor, kind, element_id, task_id, data))``; the
first event's ``prev_hash`` is 64 zeros. :func:`problems` recomputes the chain from the rows (in the
order they were written) and the instance's head, and names each event that was changed, deleted or
moved; ``verify`` reports the first. Signatures, checkpoints and documents are checked on top of this by
:mod:`engine.verification`.
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
from engine.store.models import HistoryEvent, Instance

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
    "signed",
    "checkpoint",
    "suspended",
    "resumed",
    "reassigned",
    "data_edited",
    "skipped",
    "migrated",
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
    when = stamp(at)
    for event in events:
        seq += 1
        data = to_plain(event.data)
        digest = _digest(prev, seq, when, event.actor, event.kind, event.element_id, event.task_id, data)
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
    return _digest(prev, seq, stamp(at), actor, kind, element_id, task_id, to_plain(data))


def stamp(at: dt.datetime) -> str:
    """An instant as the chain hashes it: UTC, ISO 8601 with microseconds."""
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


def as_dict(e: HistoryEvent) -> dict[str, Any]:
    """One stored event as JSON-ready values: what ``run.py history``, the API and audit packages show."""
    return {
        "seq": e.seq,
        "at": e.at.isoformat(),
        "actor": e.actor,
        "kind": e.kind,
        "element_id": e.element_id,
        "task_id": e.task_id,
        "data": e.data,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }


def completion_of(tx: Session, task_id: str) -> HistoryEvent | None:
    """The event that finished the task ``task_id``: its completion, or an administrator's skip."""
    finished = HistoryEvent.kind.in_(("completed", "skipped"))
    query = select(HistoryEvent).where(HistoryEvent.task_id == task_id, finished)
    return tx.scalars(query.limit(1)).first()


@dataclasses.dataclass(frozen=True)
class Problem:
    """One way the chain does not hold: the event's seq, a cause code and a sentence naming the event."""

    seq: int
    cause: str  # deleted, reordered, relinked, altered, head
    message: str


def verify(tx: Session, instance_id: str) -> Verdict:
    """The chain's first problem, or ok (signatures and checkpoints: :mod:`engine.verification`)."""
    rows = events_of(tx, instance_id)
    found = problems(rows, head_of_chain(tx, instance_id))
    if found:
        return Verdict(instance_id, False, len(rows), found[0].seq, found[0].message)
    return Verdict(instance_id, True, len(rows))


def head_of_chain(tx: Session, instance_id: str) -> tuple[int, str] | None:
    """(last_seq, last_hash) as the instance row keeps them: a deleted last event shows against it."""
    found = tx.execute(
        select(Instance.last_seq, Instance.last_hash).where(Instance.id == instance_id)
    ).first()
    return (int(found[0]), str(found[1])) if found is not None else None


def problems(rows: list[HistoryEvent], head: tuple[int, str] | None = None) -> list[Problem]:
    """Every problem of the chain of ``rows`` (in the order they were written), sorted by seq.

    ``head`` is the instance's (last_seq, last_hash). A problem is reported once, at its cause: a deleted
    event as missing, not again as the next event's broken link.
    """
    present = {r.seq for r in rows}
    top = max([*present, head[0] if head else 0], default=0)
    found = [
        Problem(seq, "deleted", f"event #{seq} is missing: it was deleted")
        for seq in sorted(set(range(1, top + 1)) - present)
    ]
    ordered = sorted(rows, key=lambda r: r.seq)
    moved = {r.seq for r, s in zip(rows, ordered, strict=True) if r.seq != s.seq}
    found += [
        Problem(seq, "reordered", f"event #{seq} is out of order: rows were reordered") for seq in moved
    ]
    by_seq = {r.seq: r for r in rows}
    for row in ordered:
        if row.seq not in moved:
            found += _link_problems(row, by_seq, moved)
    last = ordered[-1] if ordered else None
    if head is not None and last is not None and not found and (last.seq, last.hash) != head:
        message = f"event #{last.seq} is not the last event the instance recorded (#{head[0]})"
        found.append(Problem(last.seq, "head", message))
    return sorted(found, key=lambda p: p.seq)


def _link_problems(row: HistoryEvent, by_seq: dict[int, HistoryEvent], moved: set[int]) -> list[Problem]:
    before = by_seq.get(row.seq - 1)
    expected = GENESIS if row.seq == 1 else (before.hash if before is not None else None)
    if expected is not None and row.seq - 1 not in moved and row.prev_hash != expected:
        message = f"event #{row.seq} does not follow the event before it (a row was replaced)"
        return [Problem(row.seq, "relinked", message)]
    recomputed = chain_hash(
        row.prev_hash, row.seq, row.at, row.actor, row.kind, row.element_id, row.task_id, row.data
    )
    if recomputed != row.hash:
        return [
            Problem(row.seq, "altered", f"event #{row.seq} ({row.kind}) was changed after it was written")
        ]
    return []
