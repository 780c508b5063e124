"""The case's data as the instance page shows it: each value labelled and typed by the version's forms
where a form names it (its kind says how to write it: Rial, date, table …), by its key otherwise."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import forms


@dataclasses.dataclass(frozen=True)
class Column:
    """A table's column, or a value's own description: ``choices`` maps stored values to their labels."""

    name: str
    label: str
    kind: str
    choices: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Datum:
    """One value described by ``field``; ``columns`` for a table; ``changed`` when the shown event set it."""

    name: str
    field: Column
    value: Any
    columns: list[Column]
    changed: bool


def data_items(data: Mapping[str, Any], fields: Mapping[str, forms.Field], changed: set[str]) -> list[Datum]:
    """Every value of ``data``: the ones a form names first, in the forms' order, then the rest by key."""
    named = [name for name in fields if name in data]
    rest = sorted(name for name in data if name not in fields)
    return [_datum(name, data[name], fields.get(name), name in changed) for name in [*named, *rest]]


def _datum(name: str, value: Any, field: forms.Field | None, changed: bool) -> Datum:
    if field is None:
        return Datum(name, Column(name, name, _kind_of(value)), value, _columns_of(value), changed)
    columns = [_column(c) for c in field.columns] or _columns_of(value)
    return Datum(name, _column(field), value, columns, changed)


def _column(field: forms.Field) -> Column:
    return Column(field.name, field.label, field.kind, {str(c.value): c.label for c in field.choices})


def _kind_of(value: Any) -> str:
    if isinstance(value, list) and value and all(isinstance(row, Mapping) for row in value):
        return "table"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return "text"


def _columns_of(value: Any) -> list[Column]:
    """Columns of a list of rows that no form describes: the keys in first-seen order."""
    if not isinstance(value, list):
        return []
    keys: dict[str, str] = {}
    for row in value:
        if isinstance(row, Mapping):
            for key, cell in row.items():
                keys.setdefault(str(key), _kind_of(cell))
    return [Column(key, key, kind) for key, kind in keys.items()]


def changed_keys(event: Mapping[str, Any] | None) -> set[str]:
    """The data keys the event (a ``Platform.history`` dict) set or removed."""
    if event is None:
        return set()
    data = event.get("data") or {}
    if event["kind"] == "started":
        return set(data.get("data") or {})
    if event["kind"] == "completed":
        return set(data.get("submitted") or {})
    delta = data.get("delta") or {}
    return set(delta.get("set") or []) | set(delta.get("removed") or [])
