"""What happens when a human task becomes ready, besides its inbox row: smart referral picks a person,
and the SLA sets the due time and the reminder and escalation timers (Iranian working days).

Both read the task's properties (``referral``, ``sla*``; see processes/README.md) and run inside the
step's transaction, so the choice, its reason and the timers commit together with the task.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy.orm import Session

from engine import referral, sla
from engine.business_calendar import BusinessCalendar
from engine.history import Event
from engine.inbox import TaskFacts


@dataclasses.dataclass
class Arrival:
    """The tasks as they will be stored, the events that explain them, and their SLA timer rows."""

    facts: list[TaskFacts]
    events: list[Event]
    timer_rows: list[dict[str, Any]]


def arrange(
    tx: Session,
    facts: list[TaskFacts],
    *,
    process_key: str,
    instance_id: str,
    started_at: dt.datetime,
    now: dt.datetime,
    calendar: BusinessCalendar,
    leaving: Collection[str] = (),
) -> Arrival:
    """``leaving``: the tasks this step finished, which no longer count as anyone's workload."""
    out = Arrival([], [], [])
    for task in facts:
        task = _refer(tx, task, process_key, now, out.events, leaving)
        task = _deadline(task, instance_id, started_at, now, calendar, out.timer_rows)
        out.facts.append(task)
    return out


def _refer(
    tx: Session,
    task: TaskFacts,
    process_key: str,
    now: dt.datetime,
    events: list[Event],
    leaving: Collection[str],
) -> TaskFacts:
    policy = task.properties.get("referral")
    if not policy or task.assignee:
        return task
    choice = referral.choose(
        tx,
        policy=policy,
        process_key=process_key,
        element_id=task.element_id,
        groups=task.candidate_groups,
        unit=task.org_unit,
        now=now,
        leaving=leaving,
    )
    if choice is None:
        events.append(Event("referral_skipped", None, task.element_id, task.id, {"policy": policy}))
        return task
    events.append(Event("assigned", None, task.element_id, task.id, {"to": choice.person, **choice.reason}))
    return dataclasses.replace(task, assignee=choice.person)


def _deadline(
    task: TaskFacts,
    instance_id: str,
    started_at: dt.datetime,
    now: dt.datetime,
    calendar: BusinessCalendar,
    rows: list[dict[str, Any]],
) -> TaskFacts:
    rule = sla.parse(task.properties, element=task.element_id)
    if rule is None:
        return task
    plan = sla.plan(rule, ready_at=now, started_at=started_at, calendar=calendar)
    marks = [("remind", at) for at in plan.reminders] + [("escalate", plan.due_at)]
    for n, (action, at) in enumerate(marks):
        rows.append(
            {
                "id": f"sla:{task.id}:{n}",
                "instance_id": instance_id,
                "version_id": None,
                "element_id": task.element_id,
                "due_at": at,
                "kind": "sla",
                "task_id": task.id,
                "schedule": {
                    "action": action,
                    "escalate_to": plan.escalate_to,
                    "due_at": plan.due_at.isoformat(),
                },
            }
        )
    return dataclasses.replace(task, due_at=plan.due_at)  # the SLA is the richer rule of the two
