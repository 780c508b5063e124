"""Whom a clerk may refer work to: the people and units around them (their unit, the units above it and
every unit below it), never a sibling municipality's."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import directory
from engine.directory import Person
from engine.store.models import Unit


@dataclasses.dataclass(frozen=True)
class Option:
    """One entry of a picker: the stored value and what is shown."""

    value: str
    label: str


def around(tx: Session, person: Person) -> list[str]:
    """``person``'s unit, its ancestors and its descendants."""
    return sorted(set(directory.units_above(tx, person.unit)) | directory.units_below(tx, person.unit))


def colleagues(tx: Session, person: Person) -> list[Option]:
    """People of the units around ``person`` (not ``person``), labelled with their title."""
    found = directory.people(tx, units=around(tx, person))
    return [Option(p.name, f"{p.title or p.name} ({p.name})") for p in found if p.name != person.name]


def units(tx: Session, person: Person) -> list[Option]:
    names = around(tx, person)
    titles = {
        name: title for name, title in tx.execute(select(Unit.name, Unit.title).where(Unit.name.in_(names)))
    }
    return [Option(name, titles.get(name) or name) for name in names]


def unit_titles(tx: Session) -> dict[str, str]:
    return {name: title or name for name, title in tx.execute(select(Unit.name, Unit.title))}
