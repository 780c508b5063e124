"""Finding instances for the auditor: by process, org unit (and the units under it), status, start date
and part of the business key, newest first, one page at a time.

Only instances the person may see are found: the query starts from :func:`engine.access.visible`, the
clause form of the rule that opens a single instance, so a list, a count and a page agree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from engine import access, directory
from engine.errors import InvalidInput, NotFound
from engine.kpi.period import bound
from engine.persian import to_ascii_digits
from engine.store.models import Instance, ProcessVersion, Unit

STATUSES = ("running", "error", "completed", "cancelled")
MAX_SIZE = 100
_INSTANT = re.compile(r"[T:]")  # a time of day: the bound is that instant, not a whole day


@dataclasses.dataclass(frozen=True)
class Criteria:
    """What to look for; empty fields do not narrow. Dates are Jalali (``1405/01/15``, Persian digits
    too) or ISO; ``started_to`` is the last day included."""

    process_key: str | None = None
    unit: str | None = None
    status: str | None = None
    started_from: str | None = None
    started_to: str | None = None
    business_key: str | None = None
    page: int = 1
    size: int = 25


@dataclasses.dataclass(frozen=True)
class Found:
    """One page of matches (``rows``: the instance and its version's process name) and the match count."""

    rows: list[tuple[Instance, str | None]]
    total: int


def search(tx: Session, criteria: Criteria, *, actor: str | None) -> Found:
    """The page ``criteria.page`` of the instances ``actor`` may see that match (``actor=None``: all)."""
    if criteria.size < 1 or criteria.size > MAX_SIZE or criteria.page < 1:
        raise InvalidInput(f"page must be 1 or more and size between 1 and {MAX_SIZE}")
    where = _conditions(tx, criteria)
    if actor is not None:
        seen = access.visible(tx, actor)
        if seen is not None:
            where.append(seen)
    total = tx.scalar(select(func.count()).select_from(Instance).where(*where)) or 0
    query: Select[Any] = (
        select(Instance, ProcessVersion.name)
        .join(ProcessVersion, ProcessVersion.id == Instance.version_id)
        .where(*where)
        .order_by(Instance.started_at.desc(), Instance.id)
        .limit(criteria.size)
        .offset((criteria.page - 1) * criteria.size)
    )
    return Found([(row, name) for row, name in tx.execute(query)], total)


def _conditions(tx: Session, criteria: Criteria) -> list[Any]:
    where: list[Any] = []
    if criteria.process_key:
        where.append(Instance.process_key == criteria.process_key)
    if criteria.status:
        if criteria.status not in STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(STATUSES)}, not {criteria.status!r}")
        where.append(Instance.status == criteria.status)
    if criteria.unit:
        if tx.get(Unit, criteria.unit) is None:
            raise NotFound(f"unit '{criteria.unit}' does not exist")
        where.append(Instance.org_unit.in_(sorted(directory.units_below(tx, criteria.unit))))
    if criteria.business_key:
        where.append(Instance.business_key.contains(criteria.business_key.strip(), autoescape=True))
    since = bound(criteria.started_from, "from")
    if since is not None:
        where.append(Instance.started_at >= since)
    until = last_day_bound(criteria.started_to)
    if until is not None:
        where.append(Instance.started_at < until)
    return where


def last_day_bound(value: str | None) -> dt.datetime | None:
    """The end of the day ``value`` names (its next midnight in Tehran); an instant stays as it is."""
    start = bound(value, "to")
    if start is None or value is None or _INSTANT.search(to_ascii_digits(value)):
        return start
    return start + dt.timedelta(days=1)
