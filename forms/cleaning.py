"""Cleaning submitted data before validation: Persian normalisation, typed numbers, undeclared fields dropped.

The walk follows the schema, so each value is cleaned as its field's kind: text gets one Persian
spelling, numbers typed as ``'۱۲٬۵۰۰'`` become ``12500``, Jalali dates become ``'1403/01/15'``. A value
that cannot be read as its kind is left as it came, for the schema validation to name the field.

An empty value (``''``, only spaces, or ``null`` where the schema does not allow null) counts as not
given, so a blank required field is reported as missing rather than as the wrong type.

Properties a schema does not declare are dropped unless it says what to do with them:
``additionalProperties: false`` keeps them for validation to refuse, ``true`` or a schema keeps them.
That way a submission can never slip undeclared values into the case data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from forms.kinds import kind_of, properties_of, types_of
from forms.persian import normalise_jalali, normalise_text, parse_integer, parse_number

ABSENT: Any = object()


def clean_form(schema: Mapping[str, Any], data: Mapping[str, Any], ui: Mapping[str, Any]) -> dict[str, Any]:
    """The cleaned copy of a whole submission for a form's ``schema`` and ``ui``."""
    fields_ui = ui.get("fields")
    return _clean_object(schema, data, fields_ui if isinstance(fields_ui, Mapping) else {})


def clean(schema: Mapping[str, Any], value: Any, ui_field: Mapping[str, Any]) -> Any:
    """The cleaned value of one field, or :data:`ABSENT` if it counts as not given."""
    if value is None:
        return None if "null" in _declared_types(schema) else ABSENT
    if isinstance(value, str):
        return _clean_string(schema, value, ui_field)
    if isinstance(value, Mapping):
        columns = ui_field.get("columns")
        return _clean_object(schema, value, columns if isinstance(columns, Mapping) else {})
    if isinstance(value, list):
        items = schema.get("items")
        if not isinstance(items, Mapping):
            return list(value)
        return [None if (row := clean(items, item, ui_field)) is ABSENT else row for item in value]
    if isinstance(value, float) and types_of(schema) == {"integer"} and value.is_integer():
        return int(value)
    return value


def _declared_types(schema: Mapping[str, Any]) -> set[str]:
    declared = schema.get("type")
    return {declared} if isinstance(declared, str) else set(declared) if isinstance(declared, list) else set()


def _clean_object(
    schema: Mapping[str, Any], data: Mapping[str, Any], fields_ui: Mapping[str, Any]
) -> dict[str, Any]:
    props = properties_of(schema)
    additional = schema.get("additionalProperties")
    patterns = schema.get("patternProperties")
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in props and isinstance(props[key], Mapping):
            field_ui = fields_ui.get(key)
            cleaned = clean(props[key], value, field_ui if isinstance(field_ui, Mapping) else {})
        elif isinstance(patterns, Mapping) and any(_matches(p, key) for p in patterns):
            cleaned = value
        elif additional is None:
            continue
        elif isinstance(additional, Mapping):
            cleaned = clean(additional, value, {})
        else:
            cleaned = value
        if cleaned is not ABSENT:
            out[key] = cleaned
    return out


def _matches(pattern: Any, key: Any) -> bool:
    try:
        return isinstance(pattern, str) and isinstance(key, str) and re.search(pattern, key) is not None
    except re.error:
        return False


def _clean_string(schema: Mapping[str, Any], value: str, ui_field: Mapping[str, Any]) -> Any:
    if not normalise_text(value):  # spaces, ZWNJ and other invisible characters only
        return ABSENT
    types = types_of(schema)
    if "string" not in types and types & {"integer", "number"}:
        parsed = parse_integer(value) if types == {"integer"} else parse_number(value)
        return value.strip() if parsed is None else parsed
    kind = kind_of(schema, ui_field)
    if kind == "jalali-date":
        cleaned = normalise_jalali(value)
    elif kind == "attachment":
        cleaned = value.strip()
    else:
        cleaned = normalise_text(value, multiline=kind == "textarea")
    return cleaned if cleaned else ABSENT
