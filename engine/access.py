"""Who may see and act on a whole instance (tasks have their own rule in :mod:`engine.inbox`).

A person sees an instance they started, one whose history names them, and one of their own org unit or
a unit below it; the ``admin`` and ``auditor`` groups see every instance. Only the starter and ``admin``
may cancel. ``actor=None`` is the operator at the command line, who has the database anyway.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session

from engine import directory
from engine.errors import Forbidden, NotFound
from engine.store.models import HistoryEvent, Instance

SEE_ALL = frozenset({"admin", "auditor"})


def instance_for(tx: Session, instance_id: str, actor: str | None) -> Instance:
    row = tx.get(Instance, instance_id)
    if row is None:
        raise NotFound(f"instance {instance_id} does not exist")
    if actor is not None and not may_view(tx, row, actor):
        # The same answer as for a missing instance: others' case numbers are not confirmed either.
        raise NotFound(f"instance {instance_id} does not exist")
    return row


def may_view(tx: Session, row: Instance, actor: str) -> bool:
    person = directory.person(tx, actor)
    if person.groups & SEE_ALL or row.started_by == actor:
        return True
    if row.org_unit is not None and row.org_unit in directory.units_below(tx, person.unit):
        return True
    named = select(HistoryEvent.id).where(HistoryEvent.instance_id == row.id, HistoryEvent.actor == actor)
    return tx.scalars(named.limit(1)).first() is not None


def check_may_cancel(tx: Session, instance_id: str, actor: str | None) -> None:
    row = instance_for(tx, instance_id, actor)
    if actor is None or row.started_by == actor or "admin" in directory.person(tx, actor).groups:
        return
    raise Forbidden(f"only the starter of instance {instance_id} or an administrator may cancel it")


def visible(tx: Session, actor: str) -> ColumnElement[bool] | None:
    """:func:`may_view` as a WHERE clause on ``instances`` (for lists and counts); None: every instance."""
    person = directory.person(tx, actor)
    if person.groups & SEE_ALL:
        return None
    named = exists().where(HistoryEvent.instance_id == Instance.id, HistoryEvent.actor == actor)
    clauses = [Instance.started_by == actor, named]
    below = directory.units_below(tx, person.unit)
    if below:
        clauses.append(Instance.org_unit.in_(sorted(below)))
    return or_(*clauses)
