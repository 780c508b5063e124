"""The form builder's model of a form, and the form file it stands for.

``static/models/form_builder.js`` edits the model; the server turns it into the form (JSON Schema plus UI
hints, processes/README.md "Forms") for the preview and the draft, so this module is the one place that
knows how a builder field maps to a property and its hints. The model::

    {"title": {"fa", "en"}, "form": the form as it was,
     "fields": [{"name", "kind", "title", "required", "min", "max", "choices", "columns",
                 "schema", "hints"}]}

``kind`` is a field kind of :mod:`forms.kinds`. ``min`` and ``max`` are the kind's limits as typed
(numbers: minimum and maximum; texts: lengths; tables: rows); ``choices`` holds one ``value=label`` line
per choice; ``columns`` are a table's columns, fields themselves (any kind but table and attachment).
``schema`` and ``hints`` are the field's property schema and ``ui.fields`` entry as they were, so what the
builder does not edit (help texts, English labels, patterns, ``additionalProperties`` …) stays; a field
whose kind changed keeps only what does not depend on the kind. The form's other parts (checks, other
UI hints) come from ``form``; its title, properties, required names, ``ui.fields`` and ``ui.order`` are
written from the model (``ui.order`` and a table's column order only where the form keeps one: otherwise
the properties' order is the order). ``form_of(model_of(form)) == form`` for every valid form.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _

from engine.errors import InvalidInput
from forms.kinds import KINDS, STRING_FORMATS, kind_of, properties_of

# The schema keywords each kind's limits are written to.
LIMITS = {
    "integer": ("minimum", "maximum"),
    "number": ("minimum", "maximum"),
    "rial": ("minimum", "maximum"),
    "text": ("minLength", "maxLength"),
    "textarea": ("minLength", "maxLength"),
    "table": ("minItems", "maxItems"),
}
TYPES = {"integer": "integer", "number": "number", "rial": "integer", "boolean": "boolean", "table": "array"}
# What a field loses when its kind changes: keywords that only make sense for the old kind.
KIND_KEYWORDS = frozenset(
    {"type", "enum", "const", "format", "items", "pattern", "multipleOf", "exclusiveMinimum",
     "exclusiveMaximum", "uniqueItems", "ui"} | {key for pair in LIMITS.values() for key in pair}
)  # fmt: skip
COLUMN_KINDS = KINDS - {"table", "attachment"}  # the task page's table cells draw neither
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def model_of(form: Mapping[str, Any]) -> dict[str, Any]:
    """The builder's model of ``form`` (a form file's JSON; a broken one is modelled as far as it goes)."""
    schema, ui, title = _mapping(form.get("schema")), _mapping(form.get("ui")), _mapping(form.get("title"))
    return {
        "title": {"fa": "", "en": "", **title},
        "form": copy.deepcopy(dict(form)),
        "fields": _field_models(schema, ui.get("order"), _mapping(ui.get("fields"))),
    }


def _field_models(schema: Mapping[str, Any], order: Any, hints: Mapping[str, Any]) -> list[dict[str, Any]]:
    props = properties_of(schema)
    names = [n for n in order if n in props] if isinstance(order, list) else []
    names += [n for n in props if n not in names]
    required = schema.get("required") if isinstance(schema.get("required"), list) else []
    return [_field_model(n, _mapping(props[n]), _mapping(hints.get(n)), n in required) for n in names]


def _field_model(
    name: str, schema: Mapping[str, Any], hints: Mapping[str, Any], required: bool
) -> dict[str, Any]:
    kind = kind_of(schema, hints) or "text"
    low, high = LIMITS.get(kind, ("", ""))
    enum = schema.get("enum") if isinstance(schema.get("enum"), list) else []
    table = kind == "table"
    return {
        "name": name,
        "kind": kind,
        "title": str(schema.get("title", "")),
        "required": required,
        "min": _text(schema.get(low)),
        "max": _text(schema.get(high)),
        "choices": "\n".join(_choice_line(value, hints) for value in enum),
        "columns": _field_models(schema["items"], hints.get("order"), _mapping(hints.get("columns")))
        if table
        else [],
        "schema": copy.deepcopy(dict(schema)),
        "hints": copy.deepcopy(dict(hints)),
    }


def _choice_line(value: Any, hints: Mapping[str, Any]) -> str:
    label = _mapping(hints.get("labels")).get(str(value))
    persian = label.get("fa") if isinstance(label, Mapping) else label
    return f"{value}={persian}" if persian else str(value)


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, bool) else str(value)


def form_of(model: Any) -> dict[str, Any]:
    """The form file ``model`` stands for. :class:`InvalidInput` (in Persian) when it cannot be built: a
    field without a Latin name, a name used twice, an unknown kind, a limit that is not a number. Whether
    the form is valid is the forms check's to say."""
    if not isinstance(model, Mapping) or not isinstance(model.get("fields"), list):
        raise InvalidInput('send the builder\'s model: {"model": {"title", "form", "fields"}}')
    form = copy.deepcopy(dict(_mapping(model.get("form"))))
    form["title"] = {lang: str(text) for lang, text in _mapping(model.get("title")).items()}
    fields = _checked(model["fields"], KINDS, None)
    form["schema"] = _object(dict(_mapping(form.get("schema"))) or {"type": "object"}, fields)
    ui = dict(_mapping(form.get("ui")))
    _put_hints(ui, "fields", fields)
    if ui or "ui" in form:
        form["ui"] = ui
    return form


def _checked(raw: Any, kinds: frozenset[str], table: str | None) -> list[Mapping[str, Any]]:
    """The model's fields (or a table's columns), checked for what building needs: a Latin name used
    once, a kind the place allows."""
    fields = [f for f in raw if isinstance(f, Mapping)] if isinstance(raw, list) else []
    names = [f.get("name") for f in fields]
    for name, field in zip(names, fields, strict=True):
        where = (
            _("فیلد «%(name)s»", name=name or "")
            if table is None
            else _("ستون «%(name)s» از جدول «%(table)s»", name=name or "", table=table)
        )
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise InvalidInput(
                _("نام %(where)s باید لاتین باشد: حرف، رقم و _، و با رقم آغاز نشود.", where=where)
            )
        if names.count(name) > 1:
            raise InvalidInput(_("نام %(where)s دو بار آمده است.", where=where))
        if field.get("kind") not in kinds:
            raise InvalidInput(_("نوع %(where)s در اینجا پذیرفته نیست.", where=where))
    return fields


def _object(schema: dict[str, Any], fields: list[Mapping[str, Any]]) -> dict[str, Any]:
    """``schema`` (an object schema) with ``fields`` as its properties and required names; the names that
    were required before keep their place in ``required``."""
    schema["properties"] = {f["name"]: _property(f) for f in fields}
    wanted = [f["name"] for f in fields if f.get("required") is True]
    before = schema.get("required") if isinstance(schema.get("required"), list) else []
    required = [n for n in before if n in wanted] + [n for n in wanted if n not in before]
    if required or "required" in schema:
        schema["required"] = required
    return schema


def _property(field: Mapping[str, Any]) -> dict[str, Any]:
    kind, original = field["kind"], _mapping(field.get("schema"))
    if kind_of(original, _mapping(field.get("hints"))) == kind:
        schema = copy.deepcopy(dict(original))
    else:
        schema = {key: copy.deepcopy(v) for key, v in original.items() if key not in KIND_KEYWORDS}
        schema["type"] = TYPES.get(kind, "string")
        if kind == "rial" or kind in STRING_FORMATS:
            schema["format"] = kind
    title = str(field.get("title") or "")
    if title:
        schema["title"] = title
    else:
        schema.pop("title", None)
    _put_limits(schema, kind, field)
    if kind == "choice":
        schema["enum"] = _values(field.get("choices"), original.get("enum"))
    if kind == "table":
        items = dict(_mapping(schema.get("items"))) or {"type": "object", "additionalProperties": False}
        schema["items"] = _object(items, _checked(field.get("columns"), COLUMN_KINDS, field["name"]))
    return schema


def _put_limits(schema: dict[str, Any], kind: str, field: Mapping[str, Any]) -> None:
    for key, typed in zip(LIMITS.get(kind, ()), (field.get("min"), field.get("max")), strict=False):
        text = str(typed if typed is not None else "").translate(DIGITS).strip()
        if not text:
            schema.pop(key, None)
        elif NUMBER.fullmatch(text):
            schema[key] = float(text) if "." in text else int(text)
        else:
            raise InvalidInput(_("کمینه و بیشینهٔ فیلد «%(name)s» باید عدد باشند.", name=field["name"]))


def _values(choices: Any, before: Any) -> list[Any]:
    """The choices' values; a value that was there before keeps its JSON type (a number stays one)."""
    typed = {str(v): v for v in before} if isinstance(before, list) else {}
    values = [line.split("=", 1)[0].strip() for line in _lines(choices)]
    return [typed.get(v, v) for v in values if v]


def _lines(choices: Any) -> list[str]:
    return str(choices or "").splitlines()


def _hints(field: Mapping[str, Any]) -> dict[str, Any]:
    """The field's ``ui.fields`` entry: the hints it had, with the builder's parts written again."""
    kind, hints = field["kind"], copy.deepcopy(dict(_mapping(field.get("hints"))))
    if kind == "textarea":
        hints["widget"] = "textarea"
    elif hints.get("widget") == "textarea":
        del hints["widget"]
    if kind == "choice":
        _put_labels(hints, field.get("choices"))
    else:
        hints.pop("labels", None)
    if kind == "table":
        _put_hints(hints, "columns", [c for c in field.get("columns") or [] if isinstance(c, Mapping)])
    else:
        hints.pop("columns", None)
        hints.pop("order", None)
    return hints


def _put_labels(hints: dict[str, Any], choices: Any) -> None:
    """Persian labels from the ``value=label`` lines; a label's other languages are kept."""
    before, labels = _mapping(hints.get("labels")), {}
    for line in _lines(choices):
        value, _sep, label = (part.strip() for part in line.partition("="))
        old = before.get(value)
        if value and label:
            labels[value] = {**old, "fa": label} if isinstance(old, Mapping) else label
        elif value and isinstance(old, Mapping) and "fa" not in old:
            labels[value] = dict(old)
    if labels:
        hints["labels"] = labels
    else:
        hints.pop("labels", None)


def _put_hints(holder: dict[str, Any], key: str, fields: Sequence[Mapping[str, Any]]) -> None:
    """The fields' hints into ``holder[key]`` (``ui.fields``, or a table's ``columns``), and their order
    into ``holder["order"]`` where it keeps one."""
    hints = {f["name"]: h for f in fields if (h := _hints(f))}
    if hints:
        holder[key] = hints
    else:
        holder.pop(key, None)
    if "order" in holder:
        holder["order"] = [f["name"] for f in fields]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
