"""SLA timers firing: a reminder before the deadline, escalation at the breach.

The notices themselves (e-mail) are the handlers ``sla.remind`` and ``sla.escalate`` (``handlers/``);
here the engine decides when, opens the task to the escalation group, and records what happened. A
notice that could not be sent is recorded with its reason rather than holding the escalation back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from engine import inbox, service_tasks
from engine.clock import Clock
from engine.errors import NezaratError
from engine.history import Event
from engine.store.models import TimerRow

HANDLERS = {"remind": "sla.remind", "escalate": "sla.escalate"}


def fire(
    tx: Session,
    timer: TimerRow,
    task: Any,
    *,
    clock: Clock,
    services: Mapping[str, Any],
    case_unit: str | None = None,
) -> Event:
    """Run one due SLA timer of an open task and return the history event that records it.

    ``case_unit`` is the instance's unit: the escalation group may sit above the case rather than above
    the task (a minister's task at the ministry, escalated to the governorate's director general).
    """
    schedule = dict(timer.schedule or {})
    action = str(schedule.get("action"))
    group = schedule.get("escalate_to")
    now = clock.now()
    data: dict[str, Any] = {"due_at": schedule.get("due_at")}
    if action == "escalate":
        if group:
            inbox.change(tx, task.id, escalated_to=group, escalated_at=now)
            data["escalate_to"] = group
        else:
            return Event("sla_breached", None, task.element_id, task.id, data)
    data.update(_notify(action, timer, task, schedule, clock, services, case_unit))
    kind = "escalated" if action == "escalate" else "sla_reminder"
    return Event(kind, None, task.element_id, task.id, data)


def _notify(
    action: str,
    timer: TimerRow,
    task: Any,
    schedule: dict[str, Any],
    clock: Clock,
    services: Mapping[str, Any],
    case_unit: str | None,
) -> dict[str, Any]:
    params = {
        "task_title": task.name or task.element_id,
        "due_at": schedule.get("due_at"),
        "assignee": task.assignee,
        "groups": list(task.candidate_groups or []),
        "unit": task.org_unit,
        "escalate_to": schedule.get("escalate_to"),
        "task_id": task.id,
    }
    ctx = service_tasks.HandlerContext(
        name=HANDLERS[action],
        data={},
        params=params,
        instance_id=task.instance_id,
        process_key=task.process_key,
        element_id=task.element_id,
        actor=None,
        clock=clock,
        services=services,
        org_unit=case_unit,
    )
    try:
        result = service_tasks.lookup(HANDLERS[action])(ctx) or {}
    except NezaratError as err:  # mail down, nobody to tell: the breach still counts
        return {"notice_failed": err.message}
    return {"notified": list(result.get("notified", []))}
