"""The inbox projection: task rows written with every state change, and the queries that read them.

Rows are derived from the workflow's READY human tasks plus the version's task catalog (candidate
groups, assignee, due date, priority, form), so listing a user's work never deserializes a workflow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from engine import approvals
from engine.clock import parse_instant
from engine.directory import Person, units_below
from engine.errors import Conflict, Forbidden, NezaratError
from engine.spiff.expressions import evaluate_expression, iso_duration
from engine.store import instances
from engine.store.fast import Prepared
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
                "signature_required": approvals.requires_signature(t.properties),
                "referrals": [],
            }
        )
        candidates += [{"task_id": t.id, "kind": "group", "name": g} for g in t.candidate_groups]
        candidates += [{"task_id": t.id, "kind": "user", "name": u} for u in t.candidate_users]
    # Prebuilt Core inserts: the ORM's bulk path costs more than the write.
    _INSERT_TASK.run_many(tx, rows)
    _INSERT_CANDIDATE.run_many(tx, candidates)


def delete_rows(tx: Session, task_ids: Iterable[str]) -> None:
    ids = list(task_ids)
    if ids:  # task_candidates rows go with them (ON DELETE CASCADE)
        _DELETE.run(tx, {"ids": ids})


def list_for(
    tx: Session,
    person: Person,
    *,
    instance_id: str | None = None,
    process_key: str | None = None,
    limit: int = 500,
) -> list[Any]:
    """The open tasks ``person`` may see, most urgent first (plain rows with the task columns)."""
    who = _who(tx, person)
    query = _LIST_OF_INSTANCE if instance_id else _LIST_NEAR if _near(who) else _LIST
    params = {**who, "instance_id": instance_id, "limit": limit}
    if process_key:
        filtered = query.statement.where(TaskRow.process_key == process_key)
        return list(tx.connection().execute(filtered, params))
    return query.rows(tx, params)


# Built once: these run on every step, and building a statement costs more than running it on SQLite.
_ROW = Prepared(select(TaskRow.__table__).where(TaskRow.id == bindparam("task_id")))
_DELETE = Prepared(delete(TaskRow).where(TaskRow.id.in_(bindparam("ids", expanding=True))), expanding=["ids"])
_IDS_OF = Prepared(
    select(TaskRow.id, TaskRow.element_id).where(TaskRow.instance_id == bindparam("instance_id"))
)
_INSERT_TASK = Prepared(TaskRow.__table__.insert())
_INSERT_CANDIDATE = Prepared(TaskCandidate.__table__.insert())
_CHANGE = Prepared(update(TaskRow).where(TaskRow.id == bindparam("b_task_id")))


def elements_of(tx: Session, instance_id: str) -> dict[str, str]:
    """Open task id → element id of one instance."""
    return dict(_IDS_OF.rows(tx, {"instance_id": instance_id}))


def task_row(tx: Session, task_id: str) -> Any:
    """One inbox row (a plain row, not an ORM object: this is on every completion's path)."""
    return _ROW.first(tx, {"task_id": task_id})


def task_for(tx: Session, task_id: str, person: Person | None, *, name: str) -> Any:
    """One inbox row as ``person`` (user ``name``; None: no such user) is about to act on it, in one query:
    the task columns, ``may_act`` (the inbox's visibility rule, the one ``list_for`` applies) and the
    instance's head (:func:`engine.store.instances.head_of`). None if the task is not open."""
    who = _who(tx, person) if person is not None else {"me": name, "groups": [], "units": []}
    return _FOR_ACTION.first(tx, {"task_id": task_id, **who})


def assign(tx: Session, task_id: str, assignee: str | None) -> None:
    change(tx, task_id, assignee=assignee)


def change(tx: Session, task_id: str, **values: Any) -> None:
    """Update columns of one task row (referral, escalation)."""
    _CHANGE.run(tx, {"b_task_id": task_id, **values})


def check_may_act(tx: Session, person: Person, row: Any) -> None:
    """Raise Forbidden unless ``person`` may claim or complete ``row``."""
    if row.assignee is not None and row.assignee == person.name:
        return
    # The same rule as the inbox list (one SQL expression decides both), so what a clerk may act on is
    # exactly what their inbox shows.
    if not _may_act(tx, person, row):
        if task_row(tx, row.id) is None:  # finished by someone else since we read it (PostgreSQL)
            raise Conflict(f"task {row.id} was completed by someone else just now", hint="reload your inbox")
        if row.assignee is not None:
            raise Forbidden(f"task {row.id} is claimed by {row.assignee}")
        raise Forbidden(
            f"{person.name} is not a candidate for task {row.id} ('{row.name or row.element_id}')"
        )


def _may_act(tx: Session, person: Person, row: Any) -> bool:
    if "may_act" in getattr(row, "_fields", ()):  # a row of task_for: the query that read it decided
        return bool(row.may_act)
    return _MAY_ACT.first(tx, {"task_id": row.id, **_who(tx, person)}) is not None


_MATCHES = or_(
    and_(TaskCandidate.kind == "user", TaskCandidate.name == bindparam("me")),
    and_(TaskCandidate.kind == "group", TaskCandidate.name.in_(bindparam("groups", expanding=True))),
)
_IN_MY_UNITS = or_(TaskRow.org_unit.is_(None), TaskRow.org_unit.in_(bindparam("units", expanding=True)))
_OFFER = TaskRow.__table__.alias("offer")
# The unassigned tasks offered to me or my groups in my units, read from my groups' candidate rows: the
# way for someone above many units (a governorate expert, whose groups are offered fewer tasks than all
# of the units below them hold).
_OFFERED = (
    select(TaskCandidate.task_id)
    .join(_OFFER, _OFFER.c.id == TaskCandidate.task_id)
    .where(
        _MATCHES,
        _OFFER.c.assignee.is_(None),
        or_(_OFFER.c.org_unit.is_(None), _OFFER.c.org_unit.in_(bindparam("units", expanding=True))),
    )
)
# The same tasks read from my units' tasks, each checked against its own candidates: the way for someone
# in a few units (a municipality's budget officer, whose group is offered thousands of tasks across the
# province): their inbox then costs what their units hold, not what the province does.
_OFFERED_IN_UNITS = select(_OFFER.c.id).where(
    # "unassigned" written so that no index serves it: SQLite would otherwise walk the assignee index's
    # every unassigned task of the province instead of the unit index (user names are never empty).
    func.coalesce(_OFFER.c.assignee, "") == "",
    or_(_OFFER.c.org_unit.is_(None), _OFFER.c.org_unit.in_(bindparam("units", expanding=True))),
    exists(select(1).where(TaskCandidate.task_id == _OFFER.c.id, _MATCHES)),
)
NEAR_UNITS = 12  # at most this many units at and below a person: their offers are read from their units


def _visible(offered: Any) -> Any:
    return or_(
        TaskRow.assignee == bindparam("me"),
        TaskRow.id.in_(offered),
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


_VISIBLE, _VISIBLE_NEAR = _visible(_OFFERED), _visible(_OFFERED_IN_UNITS)
# The same rule for one task row at a time (a completion, a claim, opening a task page): correlated on
# the row, so it reads that task's candidates by key instead of first listing every task offered to the
# person's groups, which costs in proportion to the province's tasks. tests/engine/test_inbox__row_rule
# checks that every form says the same for every task and person.
_CASE = Instance.__table__.alias("case_of_task")  # not correlated away where the query joins instances
_IS_CANDIDATE = exists(select(1).where(TaskCandidate.task_id == TaskRow.id, _MATCHES))
_VISIBLE_ROW = or_(
    TaskRow.assignee == bindparam("me"),
    and_(TaskRow.assignee.is_(None), _IN_MY_UNITS, _IS_CANDIDATE),
    and_(
        TaskRow.escalated_to.in_(bindparam("groups", expanding=True)),
        or_(
            _IN_MY_UNITS,
            exists(
                select(1).where(
                    _CASE.c.id == TaskRow.instance_id,
                    _CASE.c.org_unit.in_(bindparam("units", expanding=True)),
                )
            ),
        ),
    ),
)
_WHO = ["groups", "units"]  # the expanding parameters of _VISIBLE
_LIST_ORDER = (TaskRow.priority.desc(), TaskRow.due_at.is_(None), TaskRow.due_at, TaskRow.created_at)
_LIST_QUERY = select(TaskRow.__table__).where(_VISIBLE).order_by(*_LIST_ORDER).limit(bindparam("limit"))
_LIST = Prepared(_LIST_QUERY, expanding=_WHO)
_LIST_NEAR = Prepared(
    select(TaskRow.__table__).where(_VISIBLE_NEAR).order_by(*_LIST_ORDER).limit(bindparam("limit")),
    expanding=_WHO,
)
_LIST_OF_INSTANCE = Prepared(  # one case's few tasks: each checked by the row's rule
    select(TaskRow.__table__)
    .where(TaskRow.instance_id == bindparam("instance_id"), _VISIBLE_ROW)
    .order_by(*_LIST_ORDER)
    .limit(bindparam("limit")),
    expanding=_WHO,
)
_MAY_ACT = Prepared(
    select(TaskRow.id).where(TaskRow.id == bindparam("task_id"), _VISIBLE_ROW), expanding=_WHO
)
_FOR_ACTION = Prepared(
    select(TaskRow.__table__, _VISIBLE_ROW.label("may_act"), *instances.HEAD_COLUMNS)
    .select_from(TaskRow.__table__.join(Instance.__table__, Instance.id == TaskRow.instance_id))
    .where(TaskRow.id == bindparam("task_id")),
    expanding=_WHO,
)


def visibility(tx: Session, person: Person) -> tuple[Any, dict[str, Any]]:
    """The inbox's rule of who sees a task, as a WHERE clause and its bound parameters.

    For queries built elsewhere (the web inbox's filters, sorting and paging), so that what a page
    lists is exactly what :func:`list_for` and :func:`check_may_act` allow.
    """
    who = _who(tx, person)
    return (_VISIBLE_NEAR if _near(who) else _VISIBLE), who


def _near(who: dict[str, Any]) -> bool:
    return len(who["units"]) <= NEAR_UNITS


def visible_statement(statement: Any) -> Prepared:
    """``statement`` narrowed to the tasks the person whose :func:`visibility` parameters it is given may
    see, prepared once for the hot path (a web page's lookup of one task)."""
    return Prepared(statement.where(_VISIBLE_ROW), expanding=_WHO)


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
