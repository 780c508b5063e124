"""A form as the list of fields the web UI draws: kind, label, help, choices and, for tables, columns.

Fields come in ``ui.order`` and then in schema order. A label is the Persian ``title``; in English it
is ``ui.fields.<f>.label_en``, falling back to the Persian title. A table's columns take their hints
from ``ui.fields.<table>.columns.<column>`` (the same keys as a field's) and their order from
``ui.fields.<table>.order``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.errors import InvalidInput
from forms.definition import FormDefinition
from forms.kinds import kind_of, properties_of
from forms.messages import choice_label

LANGUAGES = ("fa", "en")


@dataclass(frozen=True)
class Choice:
    """One option of a choice field: the stored value and the label shown."""

    value: Any
    label: str


@dataclass(frozen=True)
class Field:
    """One field to draw. ``schema`` is its JSON Schema, for limits the UI may want (minimum, maxLength)."""

    name: str
    kind: str
    label: str
    help: str | None
    required: bool
    choices: tuple[Choice, ...] = ()
    columns: tuple[Field, ...] = ()
    accept: tuple[str, ...] = ()
    max_bytes: int | None = None
    schema: Mapping[str, Any] = field(default_factory=dict)


def fields(form: FormDefinition, lang: str = "fa") -> list[Field]:
    """The fields of ``form`` in display order, labelled in ``lang`` ('fa' or 'en')."""
    if lang not in LANGUAGES:
        raise InvalidInput(f"unknown language {lang!r}", hint="use 'fa' or 'en'")
    hints = form.ui.get("fields", {})
    return _fields(form.schema, form.ui.get("order", []), hints, lang)


def _fields(
    schema: Mapping[str, Any], order: Sequence[str], hints: Mapping[str, Any], lang: str
) -> list[Field]:
    props = properties_of(schema)
    required = set(schema.get("required", []))
    names = [name for name in order if name in props]
    names += [name for name in props if name not in names]
    return [_field(name, props[name], _mapping(hints.get(name)), name in required, lang) for name in names]


def _field(
    name: str, schema: Mapping[str, Any], hints: Mapping[str, Any], required: bool, lang: str
) -> Field:
    kind = kind_of(schema, hints) or "text"
    columns: tuple[Field, ...] = ()
    if kind == "table":
        items = schema["items"]
        columns = tuple(_fields(items, hints.get("order", []), _mapping(hints.get("columns")), lang))
    accept = hints.get("accept")
    return Field(
        name=name,
        kind=kind,
        label=_label(name, schema, hints, lang),
        help=_help(schema, hints, lang),
        required=required,
        choices=_choices(schema, hints, lang),
        columns=columns,
        accept=(accept,) if isinstance(accept, str) else tuple(accept) if isinstance(accept, list) else (),
        max_bytes=hints.get("max_bytes") if isinstance(hints.get("max_bytes"), int) else None,
        schema=schema,
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _label(name: str, schema: Mapping[str, Any], hints: Mapping[str, Any], lang: str) -> str:
    persian = str(schema.get("title") or name)
    return str(hints.get("label_en") or persian) if lang == "en" else persian


def _help(schema: Mapping[str, Any], hints: Mapping[str, Any], lang: str) -> str | None:
    text = hints.get("help")
    if isinstance(text, Mapping):
        other = "fa" if lang == "en" else "en"
        text = text.get(lang) or text.get(other)
    if not text and lang == "fa":
        text = schema.get("description")
    return str(text) if text else None


def _choices(schema: Mapping[str, Any], hints: Mapping[str, Any], lang: str) -> tuple[Choice, ...]:
    values = schema.get("enum")
    if not isinstance(values, list):
        return ()
    index = 1 if lang == "en" else 0
    return tuple(Choice(value, choice_label(hints, value)[index]) for value in values)
