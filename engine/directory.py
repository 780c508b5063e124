"""Users, groups and org units: who may see and act on which task.

A user sees a task when they are its assignee, a candidate user, or in a candidate group — and, when
the task belongs to an org unit, their own unit is that unit or one above it (a governorate expert sees
the municipalities under the governorate; one municipality never sees another's).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, NotFound
from engine.store.fast import Prepared
from engine.store.models import Group, Membership, Unit, User


@dataclasses.dataclass(frozen=True)
class Person:
    name: str
    title: str | None
    unit: str | None
    groups: frozenset[str]
    email: str | None = None


def add_unit(
    tx: Session, name: str, *, title: str | None = None, parent: str | None = None, kind: str | None = None
) -> None:
    if not _plain(name):
        raise InvalidInput(f"unit name '{name}' may hold only letters, digits, '_' and '-'")
    if parent is not None and tx.get(Unit, parent) is None:
        raise NotFound(f"unit '{parent}' does not exist")
    unit = tx.get(Unit, name) or Unit(name=name)
    unit.title, unit.parent, unit.kind = title, parent, kind
    tx.add(unit)
    tx.flush()


def _plain(name: str) -> bool:
    """A directory key: letters, digits, '_' and '-'."""
    return bool(name) and name.replace("_", "").replace("-", "").isalnum()


def add_group(tx: Session, name: str, *, title: str | None = None, title_en: str | None = None) -> None:
    """Create or retitle the group ``name``."""
    if not _plain(name):
        raise InvalidInput(f"group name '{name}' may hold only letters, digits, '_' and '-'")
    group = tx.get(Group, name) or Group(name=name)
    group.title, group.title_en = title, title_en
    tx.add(group)
    tx.flush()


_GROUP_TITLES = Prepared(select(Group.name, Group.title, Group.title_en))


def group_titles(tx: Session, language: str = "fa") -> dict[str, str]:
    """Group name → its title in ``language`` ('fa' or 'en'); groups without one are left out."""
    found = {}
    for row in _GROUP_TITLES.rows(tx):
        title = row.title_en if language == "en" else row.title
        if title:
            found[row.name] = title
    return found


def add_user(
    tx: Session,
    name: str,
    *,
    groups: list[str],
    unit: str | None = None,
    title: str | None = None,
    email: str | None = None,
) -> Person:
    if not _plain(name.replace(".", "")):
        raise InvalidInput(f"user name '{name}' may hold only letters, digits, '.', '_' and '-'")
    if unit is not None and tx.get(Unit, unit) is None:
        raise NotFound(
            f"unit '{unit}' does not exist", hint="create it first (init-db --demo creates the demo units)"
        )
    user = tx.get(User, name) or User(name=name)
    user.title, user.unit, user.email = title, unit, email
    tx.add(user)
    tx.flush()
    tx.execute(delete(Membership).where(Membership.user == name))
    for group in sorted({g.strip() for g in groups if g.strip()}):
        tx.add(Membership(user=name, group=group))
    tx.flush()
    return person(tx, name)


_PERSON = Prepared(
    select(User.name, User.title, User.unit, User.email, User.active, Membership.group)
    .outerjoin(Membership, Membership.user == User.name)
    .where(User.name == bindparam("name"))
)


def person(tx: Session, name: str) -> Person:
    found = find_person(tx, name)
    if found is None:
        raise NotFound(f"user '{name}' does not exist")
    return found


def find_person(tx: Session, name: str) -> Person | None:
    """The active user ``name``, or None."""
    rows = _PERSON.rows(tx, {"name": name})
    if not rows or not rows[0].active:
        return None
    first = rows[0]
    groups = frozenset(r.group for r in rows if r.group is not None)
    return Person(first.name, first.title, first.unit, groups, first.email)


_UNITS = Prepared(select(Unit.name, Unit.parent))


def units_below(tx: Session, unit: str | None) -> set[str]:
    """``unit`` and every unit under it."""
    return _subtree(_parents(tx), unit) if unit is not None else set()  # no unit: no read


def units_above(tx: Session, unit: str | None) -> list[str]:
    """``unit`` and its ancestors, nearest first."""
    return _chain(_parents(tx), unit)


def _parents(tx: Session) -> dict[str, str | None]:
    return dict(_UNITS.rows(tx))


def _chain(parents: dict[str, str | None], unit: str | None) -> list[str]:
    chain: list[str] = []
    while unit is not None and unit not in chain:
        chain.append(unit)
        unit = parents.get(unit)
    return chain


def _subtree(parents: dict[str, str | None], unit: str | None) -> set[str]:
    if unit is None:
        return set()
    children: dict[str | None, list[str]] = {}
    for name, parent in parents.items():
        children.setdefault(parent, []).append(name)
    found, stack = set(), [unit]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


_PEOPLE = (
    select(User.name, User.title, User.unit, User.email, Membership.group)
    .outerjoin(Membership, Membership.user == User.name)
    .where(User.active.is_(True))
    .order_by(User.name)
)


def people(tx: Session, *, group: str | None = None, units: list[str] | None = None) -> list[Person]:
    """Active users, optionally only members of ``group`` and only those whose unit is in ``units``."""
    found: dict[str, tuple[Any, set[str]]] = {}
    for row in tx.connection().execute(_PEOPLE):
        entry = found.setdefault(row.name, (row, set()))
        if row.group is not None:
            entry[1].add(row.group)
    out = [Person(r.name, r.title, r.unit, frozenset(g), r.email) for r, g in found.values()]
    if group is not None:
        out = [p for p in out if group in p.groups]
    if units is not None:
        out = [p for p in out if p.unit in units]
    return out


def nearest_members(tx: Session, group: str, unit: str | None) -> list[Person]:
    """Members of ``group`` in the case's unit, else in the nearest unit above it that has any.

    A task of municipality A for the role "urban affairs expert" goes to the experts of the nearest
    office above A that has them (the governorate), never to a sibling municipality's staff.
    """
    members = people(tx, group=group)
    if unit is None:
        return members
    for candidate in units_above(tx, unit):
        here = [p for p in members if p.unit == candidate]
        if here:
            return here
    return []


def members_around(tx: Session, group: str, unit: str | None) -> list[Person]:
    """Members of ``group`` in ``unit`` and every unit above it, and under the nearest of those units
    whose subtree has any.

    Who is told about a case: from a council committee of municipality A, "the municipal deputies" are
    A's deputies (its departments are the committee's siblings); "the clerks" of a case of A are A's
    and the governorate's; never another municipality's staff.
    """
    members = people(tx, group=group)
    if unit is None:
        return members
    parents = _parents(tx)  # one read of the unit tree for the whole walk
    chain = _chain(parents, unit)
    around: set[str] = set()
    for candidate in chain:
        below = _subtree(parents, candidate)
        if any(p.unit in below for p in members):
            around = below
            break
    return [p for p in members if p.unit in chain or p.unit in around]
