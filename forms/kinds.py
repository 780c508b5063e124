"""Which kind of field a property schema is: the one mapping shared by form loading, cleaning and rendering.

The kinds are those of processes/README.md ("Forms"), plus ``boolean`` (a check box, used by the shipped
forms) and ``number`` (a decimal amount that is not in Rials). A property no kind fits cannot be shown
to a clerk, so :func:`kind_of` returning None makes the form invalid.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

STRING_FORMATS = {"jalali-date": "jalali-date", "user": "user", "unit": "unit", "attachment": "attachment"}
KINDS = frozenset(
    {"text", "textarea", "integer", "number", "rial", "boolean", "choice", "table", *STRING_FORMATS.values()}
)


def types_of(schema: Mapping[str, Any]) -> frozenset[str]:
    """The JSON types a schema allows, without ``null`` (an optional field is still of its kind)."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return frozenset({declared} - {"null"})
    if isinstance(declared, list):
        return frozenset(t for t in declared if isinstance(t, str) and t != "null")
    return frozenset()


def widget_of(schema: Mapping[str, Any], ui_field: Mapping[str, Any]) -> str | None:
    """The widget hint, from ``ui.fields.<f>.widget`` or from a ``ui`` object inside the property schema."""
    inline = schema.get("ui")
    for source in (ui_field, inline if isinstance(inline, Mapping) else {}):
        widget = source.get("widget")
        if isinstance(widget, str):
            return widget
    return None


def kind_of(schema: Mapping[str, Any], ui_field: Mapping[str, Any] | None = None) -> str | None:
    """The field kind of one property schema, or None if the UI has no way to show it."""
    ui_field = ui_field or {}
    if "enum" in schema:
        return "choice"
    types = types_of(schema)
    fmt = schema.get("format")
    if types <= {"string"}:
        if fmt in STRING_FORMATS:
            return STRING_FORMATS[fmt]
        if types:
            return "textarea" if widget_of(schema, ui_field) == "textarea" else "text"
        return None
    if types <= {"integer", "number"} and fmt == "rial":
        return "rial"
    if len(types) == 1:
        (single,) = types
        if single in ("integer", "number", "boolean"):
            return single
        if single == "array" and is_table(schema):
            return "table"
    return None


def is_table(schema: Mapping[str, Any]) -> bool:
    """True for an ``array`` whose items are objects with properties: a repeating table."""
    items = schema.get("items")
    return (
        isinstance(items, Mapping)
        and "object" in types_of(items)
        and isinstance(items.get("properties", {}), Mapping)
    )


def properties_of(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``properties`` of an object schema (empty if it has none or they are malformed)."""
    props = schema.get("properties")
    return props if isinstance(props, Mapping) else {}
