"""What the admin pages read and write in the directory beyond :mod:`engine.directory`: every user with
their active flag (the directory's people are the active ones), the unit tree, absences, incidents and an
instance's open tasks."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.store.models import Absence, Group, Instance, Membership, ProcessVersion, TaskRow, Unit, User
from webui.admin.contexts import AbsenceRow, GroupRow, IncidentRow, OpenTaskRow, UnitNode, UserRow


def users(tx: Session) -> list[UserRow]:
    groups: dict[str, list[str]] = {}
    for user, group in tx.execute(select(Membership.user, Membership.group).order_by(Membership.group)):
        groups.setdefault(user, []).append(group)
    rows = tx.scalars(select(User).order_by(User.name))
    return [UserRow(u.name, u.title, u.unit, u.email, groups.get(u.name, []), u.active) for u in rows]


def user(tx: Session, name: str) -> UserRow:
    found = [u for u in users(tx) if u.name == name]
    if not found:
        raise NotFound(f"user '{name}' does not exist")
    return found[0]


def set_active(tx: Session, name: str, active: bool) -> None:
    """Deactivate (or reactivate) ``name``: an inactive user cannot sign in, their sessions and API
    token stop working at the next request (``webui.accounts.identity``, ``webui.auth``)."""
    row = tx.get(User, name)
    if row is None:
        raise NotFound(f"user '{name}' does not exist")
    row.active = active


def groups(tx: Session) -> list[GroupRow]:
    """Every group that has a title or a member, by name, with its titles and how many members it has."""
    titled = {row.name: row for row in tx.scalars(select(Group))}
    counted = dict(tx.execute(select(Membership.group, func.count()).group_by(Membership.group)).all())
    return [
        GroupRow(name, getattr(titled.get(name), "title", None), getattr(titled.get(name), "title_en", None),
                 counted.get(name, 0))
        for name in sorted(set(titled) | set(counted))
    ]  # fmt: skip


def unit_tree(tx: Session) -> list[UnitNode]:
    """Every unit, depth-first from the roots, each after its parent."""
    rows = list(tx.scalars(select(Unit).order_by(Unit.name)))
    children: dict[str | None, list[Unit]] = {}
    for row in rows:
        children.setdefault(row.parent, []).append(row)
    out: list[UnitNode] = []
    stack = [(row, 0) for row in reversed(children.get(None, []))]
    while stack:
        row, depth = stack.pop()
        out.append(UnitNode(row.name, row.title, row.kind, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(row.name, [])))
    return out


def absences(tx: Session) -> list[AbsenceRow]:
    rows = tx.scalars(select(Absence).order_by(Absence.starts_at.desc(), Absence.id.desc()))
    return [AbsenceRow(a.user, a.delegate, a.starts_at, a.ends_at, a.note) for a in rows]


def incidents(tx: Session) -> list[IncidentRow]:
    """Instances stopped by a failed service task (status ``error``), the latest first."""
    query = select(Instance).where(Instance.status == "error").order_by(Instance.updated_at.desc())
    return [_incident(row) for row in tx.scalars(query)]


def _incident(row: Instance) -> IncidentRow:
    incident = dict(row.incident or {})
    element = incident.get("element_id")
    return IncidentRow(
        instance_id=row.id,
        process_key=row.process_key,
        business_key=row.business_key,
        element_id=str(element) if element else None,
        message=str(incident.get("message") or ""),
        updated_at=row.updated_at,
    )


def other_versions(tx: Session, instance_id: str) -> tuple[int, list[int]]:
    """The version number the instance runs on, and its process's other deployed versions."""
    current = tx.execute(
        select(ProcessVersion.process_key, ProcessVersion.version)
        .join(Instance, Instance.version_id == ProcessVersion.id)
        .where(Instance.id == instance_id)
    ).one()
    numbers = tx.scalars(
        select(ProcessVersion.version).where(ProcessVersion.process_key == current.process_key)
    )
    return current.version, sorted(n for n in numbers if n != current.version)


def open_tasks(tx: Session, instance_id: str) -> list[OpenTaskRow]:
    """The instance's open tasks (its inbox rows), oldest first."""
    query = select(TaskRow).where(TaskRow.instance_id == instance_id).order_by(TaskRow.created_at, TaskRow.id)
    return [
        OpenTaskRow(t.id, t.element_id, t.name, t.assignee, bool(t.signature_required))
        for t in tx.scalars(query)
    ]
