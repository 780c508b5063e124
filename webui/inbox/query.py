"""The inbox's SQL: the engine's visibility rule (:func:`engine.inbox.visibility`) narrowed by the filters,
sorted, paged and counted, so a page lists exactly the tasks the clerk may see and act on.

Text search normalises Persian on both sides (ي/ی, ك/ک) and matches the task's name, the process's
key and name, the case's business key, and the start of the instance or task id.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from engine import inbox, persian
from engine.directory import Person
from engine.platform import Platform, task_dict
from engine.store.models import Instance, ProcessVersion, TaskRow
from forms import normalise_text
from webui.inbox.filters import InboxFilters

HIGH, LOW = 50, 50  # above the default priority is high, below it low
EXPORT_LIMIT = 10_000
TASKS = TaskRow.__table__.c

_ORDER: dict[str, tuple[Any, ...]] = {
    "urgent": (TASKS.priority.desc(), TASKS.due_at.is_(None), TASKS.due_at, TASKS.created_at, TASKS.id),
    "due": (TASKS.due_at.is_(None), TASKS.due_at, TASKS.priority.desc(), TASKS.id),
    "-due": (TASKS.due_at.is_(None), TASKS.due_at.desc(), TASKS.id),
    "priority": (TASKS.priority.desc(), TASKS.created_at, TASKS.id),
    "created": (TASKS.created_at, TASKS.id),
    "-created": (TASKS.created_at.desc(), TASKS.id),
    "name": (TASKS.name, TASKS.id),
}


@dataclasses.dataclass(frozen=True)
class Listing:
    """One page of tasks (platform task dicts plus ``business_key`` and ``created_at``) and the counts."""

    tasks: list[dict[str, Any]]
    total: int
    tabs: dict[str, int]


def listing(platform: Platform, person: Person, filters: InboxFilters) -> Listing:
    """One page and the counts. A pass over the visible tasks costs time in proportion to how many a
    person sees, so the page's ids, its total and (on the unfiltered "all" view) the tab counts come
    from one sorted pass with window sums; other views add one pass for the tab counts. Only the page's
    ids are then joined to their cases."""
    now = platform.clock.now()
    with platform.store.reading() as tx:
        where, params = conditions(tx, person, filters, now)
        whole = filters.tab == "all" and not filters.narrowed
        sums = [(tab, _tab(tab, person, now)) for tab in TABS_COUNTED] if whole else []
        offset = (filters.page - 1) * filters.size
        page = _page(tx, where, params, filters, offset, sums)
        tabs = {"all": page.total, **page.sums} if page.ids and whole else tab_counts(tx, person, now)
        if page.ids:
            total = page.total
        else:  # past the last page, or nothing to show
            total = _count(tx, where, params, filters) if filters.narrowed else tabs[filters.tab]
        rows = _details(tx, page.ids)
        return Listing([_task(platform, r, now) for r in rows], total, tabs)


@dataclasses.dataclass(frozen=True)
class Page:
    ids: list[str]
    total: int
    sums: dict[str, int]


def _page(
    tx: Session,
    where: ColumnElement[bool],
    params: dict[str, Any],
    filters: InboxFilters,
    offset: int,
    sums: list[tuple[str, ColumnElement[bool]]],
) -> Page:
    """The ids of one page in order, with the count of all matching tasks (and ``sums``) alongside."""
    columns = [TASKS.id, func.count().over().label("total")]
    columns += [func.sum(case((clause, 1), else_=0)).over().label(name) for name, clause in sums]
    source = _joined() if filters.q else TaskRow.__table__
    query = select(*columns).select_from(source).where(where).order_by(*_ORDER[filters.sort])
    rows = tx.connection().execute(query.limit(filters.size).offset(offset), params).all()
    if not rows:
        return Page([], 0, {})
    return Page(
        [r.id for r in rows], int(rows[0].total), {name: int(rows[0]._mapping[name]) for name, _ in sums}
    )


def _count(tx: Session, where: ColumnElement[bool], params: dict[str, Any], filters: InboxFilters) -> int:
    counted = select(func.count()).select_from(_joined() if filters.q else TaskRow.__table__).where(where)
    return int(tx.connection().execute(counted, params).scalar_one())


def matching(platform: Platform, person: Person, filters: InboxFilters) -> list[dict[str, Any]]:
    """Every task of the filters (all pages, at most :data:`EXPORT_LIMIT`), for the CSV export."""
    now = platform.clock.now()
    with platform.store.reading() as tx:
        where, params = conditions(tx, person, filters, now)
        rows = _rows(tx, where, params, filters, EXPORT_LIMIT)
        return [_task(platform, r, now) for r in rows]


def conditions(
    tx: Session, person: Person, filters: InboxFilters, now: dt.datetime
) -> tuple[ColumnElement[bool], dict[str, Any]]:
    visible, params = inbox.visibility(tx, person)
    found: list[ColumnElement[bool]] = [visible, _tab(filters.tab, person, now)]
    if filters.process:
        found.append(TASKS.process_key == filters.process)
    if filters.unit:
        found.append(TASKS.org_unit == filters.unit)
    if filters.due:
        found.append(_due(filters.due, now))
    if filters.priority:
        found.append(_priority(filters.priority))
    if filters.q:
        found.append(_text(tx, filters.q))
    return and_(*found), params


def tab_counts(tx: Session, person: Person, now: dt.datetime) -> dict[str, int]:
    """How many visible tasks each tab holds, in one pass."""
    visible, params = inbox.visibility(tx, person)
    columns = [func.count()] + [
        func.coalesce(func.sum(case((_tab(tab, person, now), 1), else_=0)), 0) for tab in TABS_COUNTED
    ]
    counts = tx.connection().execute(select(*columns).select_from(TaskRow.__table__).where(visible), params)
    values = counts.one()
    return {"all": int(values[0]), **{tab: int(n) for tab, n in zip(TABS_COUNTED, values[1:], strict=True)}}


TABS_COUNTED = ("mine", "pool", "referred", "overdue")


def _tab(tab: str, person: Person, now: dt.datetime) -> ColumnElement[bool]:
    if tab == "mine":
        return TASKS.assignee == person.name
    if tab == "pool":
        return TASKS.assignee.is_(None)
    if tab == "referred":
        return and_(TASKS.assignee == person.name, TASKS.referred_by.is_not(None))
    if tab == "overdue":
        return and_(TASKS.due_at.is_not(None), TASKS.due_at < now)
    return literal(True)


def _due(due: str, now: dt.datetime) -> ColumnElement[bool]:
    if due == "overdue":
        return and_(TASKS.due_at.is_not(None), TASKS.due_at < now)
    local = now.astimezone(persian.TEHRAN)
    end_of_day = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=persian.TEHRAN)
    until = end_of_day if due == "today" else end_of_day + dt.timedelta(days=6)
    return and_(TASKS.due_at.is_not(None), TASKS.due_at < until)


def _priority(level: str) -> ColumnElement[bool]:
    if level == "high":
        return TASKS.priority > HIGH
    if level == "low":
        return TASKS.priority < LOW
    return TASKS.priority == inbox.DEFAULT_PRIORITY


def _text(tx: Session, text: str) -> ColumnElement[bool]:
    needle = normalise_text(text)
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    keys = [key for key, name in process_names(tx).items() if needle in normalise_text(name or "")]
    return or_(
        _normalised(TASKS.name).like(pattern, escape="\\"),
        _normalised(Instance.business_key).like(pattern, escape="\\"),
        TASKS.process_key.like(pattern, escape="\\"),
        TASKS.process_key.in_(keys),
        TASKS.instance_id.startswith(needle, autoescape=True),
        TASKS.id.startswith(needle, autoescape=True),
    )


def _normalised(column: Any) -> Any:
    """The column as Persian letters (what :func:`forms.normalise_text` does to the search text)."""
    return func.replace(func.replace(func.replace(column, "ي", "ی"), "ك", "ک"), "ى", "ی")


def _joined() -> Any:
    return TaskRow.__table__.join(Instance.__table__, Instance.id == TASKS.instance_id)


def _rows(
    tx: Session, where: ColumnElement[bool], params: dict[str, Any], filters: InboxFilters, limit: int
) -> list[Any]:
    """Up to ``limit`` task rows of the filters, in order, with their case's business key."""
    source = _joined() if filters.q else TaskRow.__table__
    ids = select(TASKS.id).select_from(source).where(where).order_by(*_ORDER[filters.sort]).limit(limit)
    return _details(tx, [row.id for row in tx.connection().execute(ids, params)])


def _details(tx: Session, ids: list[str]) -> list[Any]:
    """The task rows of ``ids`` joined to their case's business key, in the order of ``ids``."""
    if not ids:
        return []
    details = select(TaskRow.__table__, Instance.business_key).select_from(_joined()).where(TASKS.id.in_(ids))
    by_id = {row.id: row for row in tx.connection().execute(details)}
    return [by_id[task_id] for task_id in ids if task_id in by_id]


def _task(platform: Platform, row: Any, now: dt.datetime) -> dict[str, Any]:
    found = task_dict(row, now=now, calendar=platform.runtime.calendar)
    found["business_key"] = row.business_key
    found["created_at"] = row.created_at.isoformat()
    return found


def process_names(tx: Session) -> dict[str, str | None]:
    """Process key → the newest version's name."""
    query = select(ProcessVersion.process_key, ProcessVersion.name).order_by(ProcessVersion.version)
    return {key: name for key, name in tx.execute(query)}
