"""The inbox projection: task rows written with every state change, and the queries that read them.

Rows are derived from the workflow's READY human tasks plus the version's task catalog (candidate
groups, assignee, due date, priority, form), so listing a user's work never deserializes a workflow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, bindparam, delete, or_, select, update
from sqlalchemy.orm import Session

from engine.clock import parse_instant
from engine.directory import Person, units_below
from engine.errors import Conflict, Forbidden, NezaratError
from engine.spiff.expressions import evaluate_expression, iso_duration
from engine.store.models import Instance, TaskCandidate, TaskRow

DEFAULT_PRIORITY = 50


@dataclasses.dataclass(frozen=True)
class TaskFacts:
    id: str
    element_id: str
    name: str | None
    lane: str | None
    form: str | None
    assignee: str | None
    candidate_groups: list[str]
    candidate_users: list[str]
    org_unit: str | None
    due_at: dt.datetime | None
    priority: int
    properties: dict[str, str] = dataclasses.field(default_factory=dict)


def resolve(
    task_id: str,
    element_id: str,
    name: str | None,
    lane: str | None,
    data: dict[str, Any],
    facts: dict[str, Any],
    *,
    org_unit: str | None,
    now: dt.datetime,
) -> TaskFacts:
    """Turn the catalog's expressions into the values of one ready task."""
    groups = _names(facts.get("candidate_groups"), data)
    users = _names(facts.get("candidate_users"), data)
    assignee = _scalar(facts.get("assignee"), data)
    if not groups and not users and not assignee and lane:
        groups = [lane]  # a lane names the group that works it when the task names no one
    unit = _scalar((facts.get("properties") or {}).get("unit"), data) or org_unit
    return TaskFacts(
        id=task_id,
        element_id=element_id,
        name=name or facts.get("name"),
        lane=lane,
        form=facts.get("form"),
        assignee=str(assignee) if assignee else None,
        candidate_groups=groups,
        candidate_users=users,
        org_unit=str(unit) if unit else None,
        due_at=_due(facts.get("due"), data, now),
        priority=_priority(facts.get("priority"), data),
        properties=dict(facts.get("properties") or {}),
    )


def insert_rows(
    tx: Session, instance_id: str, process_key: str, tasks: Iterable[TaskFacts], now: dt.datetime
) -> None:
    rows, candidates = [], []
    for t in tasks:
        rows.append(
            {
                "id": t.id,
                "instance_id": instance_id,
                "process_key": process_key,
                "element_id": t.element_id,
                "name": t.name,
                "lane": t.lane,
                "form": t.form,
                "assignee": t.assignee,
                "candidate_groups": t.candidate_groups,
                "candidate_users": t.candidate_users,
                "org_unit": t.org_unit,
                "due_at": t.due_at,
                "priority": t.priority,
                "created_at": now,
            }
        )
        candidates += [{"task_id": t.id, "kind": "group", "name": g} for g in t.candidate_groups]
        candidates += [{"task_id": t.id, "kind": "user", "name": u} for u in t.candidate_users]
    # Core inserts through the session's connection: the ORM's bulk path costs more than the write.
    if rows:
        tx.connection().execute(TaskRow.__table__.insert(), rows)
    if candidates:
        tx.connection().execute(TaskCandidate.__table__.insert(), candidates)


def delete_rows(tx: Session, task_ids: Iterable[str]) -> None:
    ids = list(task_ids)
    if ids:  # task_candidates rows go with them (ON DELETE CASCADE)
        tx.connection().execute(_DELETE, {"ids": ids})


def list_for(
    tx: Session,
    person: Person,
    *,
    instance_id: str | None = None,
    process_key: str | None = None,
    limit: int = 500,
) -> list[Any]:
    """The open tasks ``person`` may see, most urgent first (plain rows with the task columns)."""
    query = _LIST_OF_INSTANCE if instance_id else _LIST
    if process_key:
        query = query.where(TaskRow.process_key == process_key)
    params = {**_who(tx, person), "instance_id": instance_id, "limit": limit}
    return list(tx.connection().execute(query, params))


# Built once: these run on every step, and building a statement costs more than running it on SQLite.
_ROW = select(TaskRow.__table__).where(TaskRow.id == bindparam("task_id"))
_DELETE = delete(TaskRow).where(TaskRow.id.in_(bindparam("ids", expanding=True)))
_IDS_OF = select(TaskRow.id, TaskRow.element_id).where(TaskRow.instance_id == bindparam("instance_id"))


def elements_of(tx: Session, instance_id: str) -> dict[str, str]:
    """Open task id → element id of one instance."""
    return {
        task_id: element
        for task_id, element in tx.connection().execute(_IDS_OF, {"instance_id": instance_id})
    }


def task_row(tx: Session, task_id: str) -> Any:
    """One inbox row (a plain row, not an ORM object: this is on every completion's path)."""
    return tx.connection().execute(_ROW, {"task_id": task_id}).first()


def assign(tx: Session, task_id: str, assignee: str | None) -> None:
    tx.connection().execute(update(TaskRow).where(TaskRow.id == task_id).values(assignee=assignee))


def change(tx: Session, task_id: str, **values: Any) -> None:
    """Update columns of one task row (referral, escalation)."""
    tx.connection().execute(update(TaskRow).where(TaskRow.id == task_id).values(**values))


def check_may_act(tx: Session, person: Person, row: Any) -> None:
    """Raise Forbidden unless ``person`` may claim or complete ``row``."""
    if row.assignee is not None and row.assignee == person.name:
        return
    # The same rule as the inbox list (one query decides both), so what a clerk may act on is exactly
    # what their inbox shows.
    params = {"task_id": row.id, **_who(tx, person)}
    if tx.connection().execute(_MAY_ACT, params).first() is None:
        if task_row(tx, row.id) is None:  # finished by someone else since we read it (PostgreSQL)
            raise Conflict(f"task {row.id} was completed by someone else just now", hint="reload your inbox")
        if row.assignee is not None:
            raise Forbidden(f"task {row.id} is claimed by {row.assignee}")
        raise Forbidden(
            f"{person.name} is not a candidate for task {row.id} ('{row.name or row.element_id}')"
        )


_MATCHES = or_(
    and_(TaskCandidate.kind == "user", TaskCandidate.name == bindparam("me")),
    and_(TaskCandidate.kind == "group", TaskCandidate.name.in_(bindparam("groups", expanding=True))),
)
_IN_MY_UNITS = or_(TaskRow.org_unit.is_(None), TaskRow.org_unit.in_(bindparam("units", expanding=True)))
_OFFER = TaskRow.__table__.alias("offer")
# The unassigned tasks offered to me or my groups in my units, as one join the planner may drive from
# either side: from my groups' candidate rows when my units are many (a governorate expert), from my
# units' tasks when my groups are large across the province (a municipality's budget officer).
_OFFERED = (
    select(TaskCandidate.task_id)
    .join(_OFFER, _OFFER.c.id == TaskCandidate.task_id)
    .where(
        _MATCHES,
        _OFFER.c.assignee.is_(None),
        or_(_OFFER.c.org_unit.is_(None), _OFFER.c.org_unit.in_(bindparam("units", expanding=True))),
    )
)
_VISIBLE = or_(
    TaskRow.assignee == bindparam("me"),
    TaskRow.id.in_(_OFFERED),
    # A breached task is also its escalation group's, whoever holds it, when the task or its case
    # belongs to one of their units (an inquiry sent to a ministry escalates to the governorate's DG).
    and_(
        TaskRow.escalated_to.in_(bindparam("groups", expanding=True)),
        or_(
            _IN_MY_UNITS,
            TaskRow.instance_id.in_(
                select(Instance.id).where(Instance.org_unit.in_(bindparam("units", expanding=True)))
            ),
        ),
    ),
)
_LIST = (
    select(TaskRow.__table__)
    .where(_VISIBLE)
    .order_by(TaskRow.priority.desc(), TaskRow.due_at.is_(None), TaskRow.due_at, TaskRow.created_at)
    .limit(bindparam("limit"))
)
_LIST_OF_INSTANCE = _LIST.where(TaskRow.instance_id == bindparam("instance_id"))
_MAY_ACT = select(TaskRow.id).where(TaskRow.id == bindparam("task_id"), _VISIBLE)


def visibility(tx: Session, person: Person) -> tuple[Any, dict[str, Any]]:
    """The inbox's rule of who sees a task, as a WHERE clause and its bound parameters.

    For queries built elsewhere (the web inbox's filters, sorting and paging), so that what a page
    lists is exactly what :func:`list_for` and :func:`check_may_act` allow.
    """
    return _VISIBLE, _who(tx, person)


def _who(tx: Session, person: Person) -> dict[str, Any]:
    return {"me": person.name, "groups": sorted(person.groups), "units": sorted(units_below(tx, person.unit))}


def _value(raw: str | None, data: dict[str, Any]) -> Any:
    if raw is None or raw == "":
        return None
    if "${" in raw or "#{" in raw:
        try:
            return evaluate_expression(raw, data)
        except NezaratError:
            return None  # an expression over data the task does not have yet names no one
    return raw


def _names(raw: str | None, data: dict[str, Any]) -> list[str]:
    value = _value(raw, data)
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple, set)) else str(value).split(",")
    return sorted({str(v).strip() for v in items if str(v).strip()})


def _scalar(raw: str | None, data: dict[str, Any]) -> Any:
    return _value(raw, data)


def _due(raw: str | None, data: dict[str, Any], now: dt.datetime) -> dt.datetime | None:
    value = _value(raw, data)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    text = str(value).strip()
    if text.startswith("P"):
        return now + iso_duration(text, now)
    try:
        return parse_instant(text)
    except ValueError:
        return None


def _priority(raw: str | None, data: dict[str, Any]) -> int:
    value = _value(raw, data)
    try:
        return int(value) if value is not None else DEFAULT_PRIORITY
    except (TypeError, ValueError):
        return DEFAULT_PRIORITY
