"""Whose KPIs a person may see: their own org unit and the units under it; ``admin`` and ``auditor``
(and the operator at the command line, ``actor=None``) see every unit.

The same tree rule as the inbox and :mod:`engine.access`: a governorate sees its municipalities, one
municipality never sees another's.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

from engine import directory
from engine.access import SEE_ALL
from engine.errors import Forbidden, NotFound
from engine.store.models import Unit


@dataclasses.dataclass(frozen=True)
class Scope:
    """``unit`` and the units under it (``units``); ``units`` None: every unit, and work of no unit."""

    unit: str | None
    units: frozenset[str] | None

    def holds(self, unit: str | None) -> bool:
        return self.units is None or unit in self.units


def scope_for(tx: Session, *, actor: str | None, unit: str | None) -> Scope:
    """The units ``actor`` asks about (``unit``, default their own), refused when not theirs to see."""
    if unit is not None and tx.get(Unit, unit) is None:
        raise NotFound(f"unit '{unit}' does not exist")
    if actor is None:
        return _below(tx, unit)
    person = directory.person(tx, actor)
    if person.groups & SEE_ALL:
        return _below(tx, unit)
    if person.unit is None:
        raise Forbidden(
            f"{actor} belongs to no org unit, so no unit's KPIs are theirs to see",
            hint="an administrator sets the user's unit (run.py users add … --unit)",
        )
    own = directory.units_below(tx, person.unit)
    if unit is not None and unit not in own:
        raise Forbidden(
            f"{actor} may see the KPIs of '{person.unit}' and the units under it, not of '{unit}'"
        )
    return _below(tx, unit or person.unit)


def _below(tx: Session, unit: str | None) -> Scope:
    if unit is None:
        return Scope(None, None)
    return Scope(unit, frozenset(directory.units_below(tx, unit)))
