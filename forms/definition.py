"""Loading a form file (processes/README.md, "Forms") and refusing a broken one with every problem listed.

A form is checked once, when it is loaded: its titles, its JSON Schema (draft 2020-12), that every
property is a field kind the UI can show, that ``ui`` names only existing fields, and that each system
check is complete and its rule is accepted by the script sandbox and reads only known names. Problems
raise :class:`engine.errors.DefinitionError` whose ``details`` are ``{"form", "path", "message"}``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator

from engine.errors import DefinitionError, ScriptError, suggest
from engine.scripting import check as sandbox_check
from forms.formats import known_formats
from forms.kinds import kind_of, properties_of, types_of
from forms.rules import HELPERS, Check, unknown_names

Problems = list[tuple[str, str]]
MAX_MESSAGE = 300
_META = Draft202012Validator(
    Draft202012Validator.META_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER
)


@dataclass(frozen=True)
class FormDefinition:
    """A checked form. ``raw`` is the file as loaded (a private copy); the other fields are views of it."""

    name: str
    title: Mapping[str, str]
    schema: Mapping[str, Any]
    ui: Mapping[str, Any]
    checks: tuple[Check, ...]
    raw: Mapping[str, Any]

    @property
    def properties(self) -> Mapping[str, Any]:
        """The top-level properties of the schema: the form's fields."""
        return properties_of(self.schema)


def load_form(raw: Mapping[str, Any], *, name: str) -> FormDefinition:
    """The :class:`FormDefinition` of a form file's parsed JSON; raises DefinitionError listing every problem."""
    if not isinstance(raw, Mapping):
        _refuse(name, [("", f"a form must be a JSON object, not {type(raw).__name__}")])
    raw = copy.deepcopy(dict(raw))
    schema, ui = raw.get("schema"), raw.get("ui", {})
    problems = _title_problems(raw.get("title"), "title") + _schema_problems(schema)
    if isinstance(schema, Mapping):
        problems += _ui_problems(ui, properties_of(schema))
        problems += _checks_problems(raw.get("checks", []), properties_of(schema))
    unknown = sorted(set(raw) - {"title", "schema", "ui", "checks", "description", "$comment"})
    problems += [(key, f"unknown key {key!r}; a form has title, schema, ui and checks") for key in unknown]
    if problems:
        _refuse(name, problems)
    return FormDefinition(
        name=name,
        title=raw["title"],
        schema=raw["schema"],
        ui=ui,
        checks=tuple(Check(**item) for item in raw.get("checks", [])),
        raw=raw,
    )


def _refuse(name: str, problems: Problems) -> None:
    details = [{"form": name, "path": path, "message": message} for path, message in problems]
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    first = details[0]
    where = f" at {first['path']}" if first["path"] else ""
    raise DefinitionError(f"form '{name}' is invalid{where}: {first['message']}{more}", details=details)


def _title_problems(title: Any, path: str) -> Problems:
    if not isinstance(title, Mapping):
        return [(path, 'needs {"fa": "…", "en": "…"}')]
    return [
        (f"{path}/{lang}", f"needs a non-empty {lang!r} text")
        for lang in ("fa", "en")
        if not isinstance(title.get(lang), str) or not title[lang].strip()
    ]


def _schema_problems(schema: Any) -> Problems:
    if not isinstance(schema, Mapping):
        return [("schema", "is missing or not a JSON object")]
    problems = [
        (_join("schema", *error.absolute_path), _short(error.message)) for error in _META.iter_errors(schema)
    ]
    if problems:
        return problems
    if types_of(schema) != {"object"}:
        return [("schema/type", 'the form schema must be {"type": "object", "properties": {…}}')]
    problems += _reference_problems(schema)
    problems += _format_problems(schema)
    problems += _kind_problems(properties_of(schema), "schema/properties")
    return problems


def _kind_problems(props: Mapping[str, Any], path: str) -> Problems:
    problems: Problems = []
    for field, subschema in props.items():
        kind = kind_of(subschema)
        if kind is None:
            problems.append(
                (
                    f"{path}/{field}",
                    "no field kind fits this property: use a string (optionally with a format), integer, "
                    "number, boolean, enum, or an array of objects for a table",
                )
            )
        elif kind == "table":
            problems += _kind_problems(properties_of(subschema["items"]), f"{path}/{field}/items/properties")
    return problems


def _walk(node: Any, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(node, Mapping):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


def _reference_problems(schema: Mapping[str, Any]) -> Problems:
    return [
        (f"{path}/{key}", "only references inside the form (starting with '#') are allowed")
        for path, node in _walk(schema, "schema")
        for key in ("$ref", "$dynamicRef")
        if isinstance(node.get(key), str) and not node[key].startswith("#")
    ]


def _format_problems(schema: Mapping[str, Any]) -> Problems:
    known = known_formats()
    problems: Problems = []
    for path, node in _walk(schema, "schema"):
        fmt = node.get("format")
        if isinstance(fmt, str) and fmt not in known:
            hint = suggest(fmt, known)
            problems.append((f"{path}/format", f"unknown format {fmt!r}" + (f"; {hint}" if hint else "")))
    return problems


def _ui_problems(ui: Any, props: Mapping[str, Any]) -> Problems:
    if not isinstance(ui, Mapping):
        return [("ui", "must be a JSON object")]
    problems = _order_problems(ui.get("order", []), props, "ui/order")
    problems += _hints_problems(ui.get("fields", {}), props, "ui/fields")
    return problems


def _hints_problems(hints_by_name: Any, props: Mapping[str, Any], path: str) -> Problems:
    """``ui.fields`` (or a table's ``columns``): hints only for declared fields, and choice labels for real values."""
    if not isinstance(hints_by_name, Mapping):
        return [(path, "must be a JSON object")]
    problems: Problems = []
    for field, hints in hints_by_name.items():
        if field not in props:
            problems.append((f"{path}/{field}", _missing(field, props)))
        elif not isinstance(hints, Mapping):
            problems.append((f"{path}/{field}", "must be a JSON object"))
        else:
            problems += _field_hints_problems(props[field], hints, f"{path}/{field}")
    return problems


def _field_hints_problems(schema: Any, hints: Mapping[str, Any], path: str) -> Problems:
    schema = schema if isinstance(schema, Mapping) else {}
    values = (
        {str(value) for value in schema.get("enum", [])} if isinstance(schema.get("enum"), list) else set()
    )
    labels = hints.get("labels", {})
    problems: Problems = [
        (f"{path}/labels/{value}", f"labels {value!r}, which is not one of the choices")
        for value in (labels if isinstance(labels, Mapping) else {})
        if value not in values
    ]
    if "columns" in hints or "order" in hints:
        items = schema.get("items")
        columns = properties_of(items) if isinstance(items, Mapping) else {}
        problems += _order_problems(hints.get("order", []), columns, f"{path}/order")
        problems += _hints_problems(hints.get("columns", {}), columns, f"{path}/columns")
    return problems


def _order_problems(order: Any, props: Mapping[str, Any], path: str) -> Problems:
    if not isinstance(order, list) or not all(isinstance(item, str) for item in order):
        return [(path, "must be a list of field names")]
    problems = [(f"{path}/{i}", _missing(item, props)) for i, item in enumerate(order) if item not in props]
    repeated = sorted({item for item in order if order.count(item) > 1})
    problems += [(path, f"names {item!r} more than once") for item in repeated]
    return problems


def _missing(field: str, props: Mapping[str, Any]) -> str:
    hint = suggest(field, props)
    return f"names field {field!r}, which the schema does not declare" + (f"; {hint}" if hint else "")


def _checks_problems(checks: Any, props: Mapping[str, Any]) -> Problems:
    if not isinstance(checks, list):
        return [("checks", "must be a list")]
    problems: Problems = []
    seen: set[str] = set()
    for index, item in enumerate(checks):
        problems += _check_problems(item, f"checks/{index}", props)
        if isinstance(item, Mapping) and item.get("id") in seen:
            problems.append((f"checks/{index}/id", f"id {item['id']!r} is used twice"))
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            seen.add(item["id"])
    if checks:
        clash = sorted(set(props) & set(HELPERS))
        problems += [(f"schema/properties/{f}", "is the name of a check helper; rename it") for f in clash]
    return problems


def _check_problems(item: Any, path: str, props: Mapping[str, Any]) -> Problems:
    if not isinstance(item, Mapping):
        return [(path, "must be a JSON object with id, rule, path and message")]
    problems: Problems = [
        (f"{path}/{key}", "is missing or not a non-empty text")
        for key in ("id", "rule", "path")
        if not isinstance(item.get(key), str) or not (item[key].strip() or key == "path")
    ]
    problems += _title_problems(item.get("message"), f"{path}/message")
    extra = sorted(set(item) - {"id", "rule", "path", "message"})
    problems += [(f"{path}/{key}", "unknown key; a check has id, rule, path and message") for key in extra]
    if isinstance(item.get("path"), str) and item["path"]:
        head = item["path"].split("/")[0]
        if head not in props:
            problems.append((f"{path}/path", _missing(head, props)))
    if isinstance(item.get("rule"), str) and item["rule"].strip():
        problems += _rule_problems(item["rule"], f"{path}/rule", props)
    return problems


def _rule_problems(rule: str, path: str, props: Mapping[str, Any]) -> Problems:
    try:
        sandbox_check(rule, "eval")
    except ScriptError as exc:
        return [(path, f"refused by the script sandbox: {exc}")]
    problems: Problems = []
    for unknown in unknown_names(rule, props):
        hint = suggest(unknown, [*props, *HELPERS])
        problems.append(
            (path, f"uses {unknown!r}, which is not a field or helper" + (f"; {hint}" if hint else ""))
        )
    return problems


def _join(*parts: Any) -> str:
    return "/".join(str(part) for part in parts)


def _short(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + "…"
