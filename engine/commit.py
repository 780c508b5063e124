"""The one write path of an instance: state, inbox rows, history and timers in one transaction.

Every runtime operation ends here. The instance row is updated first, with the revision check, so on
PostgreSQL a concurrent writer blocks on the row lock and then fails the check before it writes any
history or task row; a new instance's row is INSERTed here, state and all, at revision 1. A step that
signs, completes or cancels ends its events with a sealed checkpoint (:mod:`engine.checkpoints`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from engine import arrival, checkpoints, history, inbox, timers
from engine.business_calendar import BusinessCalendar
from engine.definitions import catalog
from engine.history import Event
from engine.spiff import workflow
from engine.spiff.serializer import codec
from engine.store import instances
from engine.versions import LoadedVersion

_ENDED = ("completed", "cancelled")


@dataclasses.dataclass(frozen=True)
class Result:
    instance_id: str
    status: str
    revision: int

    def to_dict(self) -> dict[str, Any]:
        return {"instance_id": self.instance_id, "status": self.status}


@dataclasses.dataclass(frozen=True)
class Rows:
    """Which inbox and BPMN timer rows of an instance exist, as a commit left them (kept by the live
    cache beside the workflow: at that revision the next step knows them without a query)."""

    tasks: dict[str, str]  # open task id -> element id
    timers: list[tuple[str, str, str]]  # (task id, element id, due ISO)


@dataclasses.dataclass
class Opened:
    head: instances.Head
    version: LoadedVersion
    wf: Any
    # The waiting timers as loaded: when a step leaves them as they were, their rows stay untouched.
    timers_before: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)
    # The rows as the live cache knew them at this revision; None: the task rows are read.
    rows: Rows | None = None
    # A new instance: the columns of its row, which the commit INSERTs (state and all) at revision 1.
    new_row: dict[str, Any] | None = None
    # Set by the commit: the rows it leaves, for the live cache.
    rows_after: Rows | None = None


def commit(
    tx: Session,
    opened: Opened,
    outcome: workflow.Outcome,
    lead: list[Event],
    *,
    now: dt.datetime,
    calendar: BusinessCalendar,
    finished: frozenset[str] | set[str] = frozenset(),
    status: str | None = None,
    seal: checkpoints.Seal | None = None,
) -> Result:
    head, wf = opened.head, opened.wf
    existing = _open_rows(tx, opened)
    ready, waiting_now = workflow.open_work(wf)
    if status == "cancelled":
        ready = []
    gone = set(existing) - {t.id for t in ready}
    new = [_facts(t, opened, now) for t in ready if t.id not in existing]
    arrived = arrival_of(tx, new, opened, now, calendar, gone)
    final = status or _status(wf, outcome)
    events = lead + _step_events(outcome) + [_ready_event(f) for f in arrived.facts] + arrived.events
    events += [
        Event("task_cancelled", element_id=existing[t], task_id=t) for t in sorted(gone - set(finished))
    ]
    events += _closing_events(head, wf, outcome, final)
    rows, last = chained(head, events, now, seal)
    revision = _write_instance(tx, opened, _changes(opened, final, outcome, last, now), now)
    history.insert_rows(tx, rows)
    inbox.delete_rows(tx, gone)
    inbox.insert_rows(tx, head.id, head.process_key, arrived.facts, now)
    waiting = [] if final in _ENDED else [(t.task_id, t.element_id, t.due) for t in waiting_now]
    _write_timers(tx, opened, waiting, gone, arrived.timer_rows)
    # Every open task row is now a READY human task, and every READY human task has its row.
    opened.rows_after = Rows({t.id: t.element_id for t in ready}, waiting)
    return Result(head.id, final, revision)


def chained(
    head: instances.Head, events: list[Event], now: dt.datetime, seal: checkpoints.Seal | None
) -> tuple[list[dict[str, Any]], tuple[int, str]]:
    """History rows of ``events`` after the instance's head, sealed by a checkpoint when they call for one
    (and a new instance's ``started`` event says it is sealed: verify then expects every checkpoint)."""
    if seal is not None:
        events = [checkpoints.sealed_start(e) if e.kind == "started" else e for e in events]
    rows, last = history.chain(head.id, events, at=now, last=(head.last_seq, head.last_hash))
    if seal is None or not checkpoints.wanted(events):
        return rows, last
    sealed = checkpoints.checkpoint(head.id, last, now, seal)
    more, last = history.chain(head.id, [sealed], at=now, last=last)
    return rows + more, last


def append(
    tx: Session,
    head: instances.Head,
    events: list[Event],
    now: dt.datetime,
    changes: dict[str, Any] | None = None,
) -> int:
    """Append events to an instance whose workflow did not move (with ``changes`` to its row, such as a
    new status): the history and the next revision; return that revision."""
    rows, last = history.chain(head.id, events, at=now, last=(head.last_seq, head.last_hash))
    revision = instances.save(
        tx, head, {**(changes or {}), "last_seq": last[0], "last_hash": last[1]}, now=now
    )
    history.insert_rows(tx, rows)
    return revision


def _closing_events(head: instances.Head, wf: Any, outcome: workflow.Outcome, final: str) -> list[Event]:
    events = []
    if outcome.incident is not None:
        events.append(
            Event("incident", element_id=outcome.incident.element_id, data=outcome.incident.to_dict())
        )
    if final == "completed" and head.status != "completed":
        events.append(Event("instance_completed", data={"data": workflow.workflow_data(wf)}))
    return events


def _open_rows(tx: Session, opened: Opened) -> dict[str, str]:
    """The instance's open task rows (task id -> element id) before this step."""
    if opened.new_row is not None:
        return {}
    if opened.rows is not None:  # known from the live cache at this revision
        return opened.rows.tasks
    return inbox.elements_of(tx, opened.head.id)


def _write_instance(tx: Session, opened: Opened, changes: dict[str, Any], now: dt.datetime) -> int:
    """The instance row first (the revision check; on PostgreSQL the row lock); return the new revision."""
    if opened.new_row is not None:
        return instances.insert_new(tx, {**opened.new_row, **changes, "updated_at": now})
    return instances.save(tx, opened.head, changes, now=now)


def _write_timers(
    tx: Session,
    opened: Opened,
    waiting: list[tuple[str, str, str]],
    gone: set[str],
    sla_rows: list[dict[str, Any]],
) -> None:
    """BPMN timer rows only when they changed; SLA rows of finished tasks go, new tasks' rows come."""
    if waiting != opened.timers_before:
        timers.replace_for(tx, opened.head.id, waiting, new=opened.new_row is not None)
    if opened.version.sla_elements and gone:
        timers.drop_for_tasks(tx, gone)
    if sla_rows:
        timers.insert_rows(tx, sla_rows)


def arrival_of(
    tx: Session,
    facts: list[inbox.TaskFacts],
    opened: Opened,
    now: dt.datetime,
    calendar: BusinessCalendar,
    gone: set[str],
) -> arrival.Arrival:
    if not facts:
        return arrival.Arrival([], [], [])
    head = opened.head
    return arrival.arrange(
        tx,
        facts,
        process_key=head.process_key,
        instance_id=head.id,
        started_at=head.started_at,
        now=now,
        calendar=calendar,
        leaving=gone,
    )


def _status(wf: Any, outcome: workflow.Outcome) -> str:
    if outcome.incident is not None:
        return "error"
    return "completed" if workflow.is_completed(wf) else "running"


def _changes(
    opened: Opened, final: str, outcome: workflow.Outcome, last: tuple[int, str], now: dt.datetime
) -> dict[str, Any]:
    return {
        "state": codec(opened.version.flavour).dump_state(opened.wf),
        "status": final,
        "incident": outcome.incident.to_dict() if outcome.incident else None,
        "ended_at": now if final in _ENDED else None,
        "last_seq": last[0],
        "last_hash": last[1],
    }


def _facts(task: workflow.HumanTask, opened: Opened, now: dt.datetime) -> inbox.TaskFacts:
    facts = opened.version.catalog.get(catalog.task_key(task.process_id, task.element_id), {})
    return inbox.resolve(
        task.id,
        task.element_id,
        task.name,
        task.lane,
        task.data,
        facts,
        org_unit=opened.head.org_unit,
        now=now,
    )


def _ready_event(f: inbox.TaskFacts) -> Event:
    data = {
        "name": f.name,
        "assignee": f.assignee,
        "candidate_groups": f.candidate_groups,
        "candidate_users": f.candidate_users,
        "org_unit": f.org_unit,
        "due_at": f.due_at.isoformat() if f.due_at else None,
    }
    return Event(
        "task_ready", element_id=f.element_id, task_id=f.id, data={k: v for k, v in data.items() if v}
    )


def _step_events(outcome: workflow.Outcome) -> list[Event]:
    return [Event(e.kind, element_id=e.element_id, task_id=e.task_id, data=e.data) for e in outcome.events]


def waiting_timers(wf: Any) -> list[tuple[str, str, str]]:
    return [(t.task_id, t.element_id, t.due) for t in workflow.waiting_timers(wf)]
