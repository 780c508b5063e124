"""Work and deadlines per org unit and per process: what was done in the period, on time or late, and
what is open (and overdue) now.

A *task* is a human task. Its **unit** is the unit it was last given to: the ``org_unit`` of its
``task_ready`` history event (the task's ``unit`` property, else the case's unit), replaced by the
``to_unit`` of a later ``referred`` event (a referral to a unit's pool). Its **due time** is the
``due_at`` of its ``task_ready`` event (its SLA, else ``camunda:dueDate``). The numbers of one row:

- ``completed``: tasks whose ``completed`` event falls in the period ``[from, to)``;
- ``on_time``: of those, the ones completed at or before their due time (``completed_at <= due_at``);
- ``late``: the ones completed after it; ``no_deadline``: the ones that had no due time;
- ``sla_compliance_pct``: ``100 * on_time / (on_time + late)``, one decimal; None when no completed
  task had a due time;
- ``open``: tasks open now (rows of the inbox), whatever the period; ``overdue``: of those, the ones
  whose due time is before now;
- ``breached``: tasks whose SLA ran out in the period (an ``escalated`` or ``sla_breached`` event in
  it); ``escalated``: of those, the ones handed to an escalation group (an ``escalated`` event).

A task counts in the row of its unit and in the row of its process; the unit filter keeps tasks whose
unit is in scope (work of no unit only when no unit is asked for).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock import parse_instant
from engine.kpi.period import Period
from engine.kpi.scope import Scope
from engine.store.models import HistoryEvent, Instance, TaskRow, Unit

_TOUCHING = ("completed", "escalated", "sla_breached")  # events that put a task in a period
_TOLD = ("task_ready", "referred", *_TOUCHING)  # events that say what a task was


@dataclasses.dataclass
class Counts:
    """One row of numbers; see the module docstring for what each counts."""

    completed: int = 0
    on_time: int = 0
    late: int = 0
    no_deadline: int = 0
    open: int = 0
    overdue: int = 0
    breached: int = 0
    escalated: int = 0

    @property
    def sla_compliance_pct(self) -> float | None:
        return percent(self.on_time, self.on_time + self.late)

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "sla_compliance_pct": self.sla_compliance_pct}


@dataclasses.dataclass
class TaskKpis:
    total: Counts
    by_unit: dict[str | None, Counts]
    by_process: dict[str, Counts]
    titles: dict[str, str | None]

    def to_dict(self) -> dict[str, Any]:
        units = sorted(self.by_unit, key=lambda u: (u is None, u or ""))
        return {
            "total": self.total.to_dict(),
            "by_unit": [
                {"unit": u, "title": self.titles.get(u or ""), **self.by_unit[u].to_dict()} for u in units
            ],
            "by_process": [
                {"process_key": k, **self.by_process[k].to_dict()} for k in sorted(self.by_process)
            ],
        }


def percent(part: int, whole: int) -> float | None:
    """``100 * part / whole`` to one decimal; None (not zero) when there is nothing to divide."""
    return None if whole == 0 else round(100 * part / whole, 1)


@dataclasses.dataclass
class _Task:
    """What the history says about one task."""

    process_key: str
    unit: str | None = None
    due_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    breached_at: dt.datetime | None = None
    escalated_at: dt.datetime | None = None


def task_kpis(tx: Session, *, period: Period, scope: Scope, now: dt.datetime) -> TaskKpis:
    out = TaskKpis(Counts(), {}, {}, dict(tx.execute(select(Unit.name, Unit.title)).all()))
    for task in _touched(tx, period).values():
        if scope.holds(task.unit):
            _count_done(task, period, out.total, *_rows(out, task.unit, task.process_key))
    open_rows = select(TaskRow.process_key, TaskRow.org_unit, TaskRow.due_at)
    for process_key, unit, due_at in tx.execute(open_rows):
        if scope.holds(unit):
            for counts in (out.total, *_rows(out, unit, process_key)):
                counts.open += 1
                counts.overdue += int(due_at is not None and due_at < now)
    return out


def _rows(out: TaskKpis, unit: str | None, process_key: str) -> tuple[Counts, Counts]:
    return out.by_unit.setdefault(unit, Counts()), out.by_process.setdefault(process_key, Counts())


def _count_done(task: _Task, period: Period, *rows: Counts) -> None:
    done = task.completed_at is not None and period.contains(task.completed_at)
    for counts in rows:
        if done:
            counts.completed += 1
            if task.due_at is None:
                counts.no_deadline += 1
            elif task.completed_at is not None and task.completed_at <= task.due_at:
                counts.on_time += 1
            else:
                counts.late += 1
        counts.breached += int(task.breached_at is not None and period.contains(task.breached_at))
        counts.escalated += int(task.escalated_at is not None and period.contains(task.escalated_at))


def _touched(tx: Session, period: Period) -> dict[str, _Task]:
    """Every task completed, breached or escalated in the period, told by its own history events."""
    in_period = select(HistoryEvent.task_id).where(
        HistoryEvent.kind.in_(_TOUCHING), HistoryEvent.at >= period.since, HistoryEvent.at < period.until
    )
    events = (
        select(
            HistoryEvent.task_id, HistoryEvent.kind, HistoryEvent.at, HistoryEvent.data, Instance.process_key
        )
        .join(Instance, Instance.id == HistoryEvent.instance_id)
        .where(HistoryEvent.task_id.in_(in_period), HistoryEvent.kind.in_(_TOLD))
        .order_by(HistoryEvent.instance_id, HistoryEvent.seq)
    )
    tasks: dict[str, _Task] = {}
    for task_id, kind, at, data, process_key in tx.execute(events):
        _apply(tasks.setdefault(task_id, _Task(process_key)), kind, at, data or {})
    return tasks


def _apply(task: _Task, kind: str, at: dt.datetime, data: dict[str, Any]) -> None:
    if kind == "task_ready":
        task.unit = data.get("org_unit")
        task.due_at = _instant(data.get("due_at"))
    elif kind == "referred" and data.get("to_unit"):
        task.unit = str(data["to_unit"])
    elif kind == "completed":
        task.completed_at = at
    else:  # escalated or sla_breached: the SLA ran out
        task.breached_at = task.breached_at or at
        if kind == "escalated":
            task.escalated_at = task.escalated_at or at


def _instant(value: Any) -> dt.datetime | None:
    try:
        return parse_instant(str(value)) if value else None
    except ValueError:
        return None
