"""``sla.remind`` and ``sla.escalate``: the e-mails of task deadlines, called by the engine's SLA timers.

Both read ``ctx.params``: ``task_title``, ``due_at`` (ISO), ``assignee`` (or None), ``groups`` (a list
or comma-separated), ``unit``, ``escalate_to``; both return ``{"notified": [user names]}``.

The two live in one module (against the one-handler-per-file habit) because they are one feature with
one parameter contract, registered together for the engine's SLA timers.
"""

from __future__ import annotations

from typing import Any

from engine import HandlerContext, HandlerError, handler
from handlers.mail import deliver, recipients, service


def _groups(value: object) -> list[str]:
    if isinstance(value, str):
        return [g.strip() for g in value.split(",") if g.strip()]
    return [str(g).strip() for g in value or () if str(g).strip()]


def _values(ctx: HandlerContext) -> dict[str, Any]:
    params = ctx.params
    if not params.get("task_title") or not params.get("due_at"):
        raise HandlerError(f"handler '{ctx.name}' needs the parameters task_title and due_at")
    return {
        "task_title": params["task_title"],
        "due_at": params["due_at"],
        "assignee": params.get("assignee"),
        "unit": params.get("unit"),
        "escalate_to": params.get("escalate_to"),
    }


@handler("sla.remind")
def remind(ctx: HandlerContext) -> dict[str, Any]:
    """Remind the assignee; with no assignee (or one without an address), the groups' people of the unit."""
    values = _values(ctx)
    directory = service(ctx, "directory")
    assignee = ctx.params.get("assignee")
    if assignee:
        people = recipients(directory, f"user:{assignee}")
        if any((p.email or "").strip() for p in people):
            return deliver(ctx, people, assignee, "reminder", **values)
    groups = _groups(ctx.params.get("groups"))
    people = recipients(directory, groups, unit=ctx.params.get("unit"))
    return deliver(ctx, people, assignee or "، ".join(groups) or "-", "reminder", **values)


@handler("sla.escalate")
def escalate(ctx: HandlerContext) -> dict[str, Any]:
    """Tell the ``escalate_to`` group's people around the task's unit, and around the case's, that the
    deadline passed (the same people who may now act on the task in their inbox)."""
    values = _values(ctx)
    group = str(ctx.params.get("escalate_to") or "").strip()
    if not group:
        raise HandlerError("sla.escalate needs the parameter escalate_to (a group)")
    directory = service(ctx, "directory")
    units = [u for u in dict.fromkeys([ctx.params.get("unit"), ctx.org_unit]) if u] or [None]
    found = {p.name: p for unit in units for p in recipients(directory, group, unit=unit)}
    people = list(found.values())
    return deliver(ctx, people, group, "escalation", **values)
