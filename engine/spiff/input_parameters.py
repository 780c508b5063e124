"""Camunda 7 input parameters of a service task (``camunda:inputOutput/camunda:inputParameter``).

Read at parse time into a small JSON tree stored in the spec, evaluated against the task data when the
task runs. As in Camunda, an element's text is trimmed; empty text is ``None``; text without ``${…}`` is a
literal string; text that is one ``${…}`` is that expression's value (JUEL, translated to Python in the
sandbox); text mixing words and ``${…}`` is a string with each expression's value written in. A
``camunda:list`` is a list, a ``camunda:map`` a dict (both may nest), and a ``camunda:script`` in Python
is evaluated as an expression; scripts in other languages raise an incident when the task runs.

The tree: ``None`` | ``str`` | ``{"list": [node…]}`` | ``{"map": {key: node}}`` |
``{"script": {"format": …, "source": …, "resource": …}}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from engine.errors import ScriptError
from engine.spiff.expressions import evaluate_expression

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_PARAMETERS = f"{{{BPMN_NS}}}extensionElements/{{{CAMUNDA_NS}}}inputOutput/{{{CAMUNDA_NS}}}inputParameter"
_EXPRESSION = re.compile(r"[$#]\{[^}]*\}")

Node = Any  # None | str | {"list": [...]} | {"map": {...}} | {"script": {...}}


def read(task: Any) -> dict[str, dict[str, Node]]:
    """``{name: {"camunda": node}}`` for each input parameter of the lxml element ``task``."""
    found: dict[str, dict[str, Node]] = {}
    for parameter in task.iterfind(_PARAMETERS):
        name = (parameter.get("name") or "").strip()
        if name:
            found[name] = {"camunda": _node(parameter)}
    return found


def _node(element: Any) -> Node:
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        kind = child.tag.removeprefix(f"{{{CAMUNDA_NS}}}")
        if kind == "list":
            return {"list": [_node(value) for value in _children(child, "value")]}
        if kind == "map":
            return {"map": {entry.get("key", ""): _node(entry) for entry in _children(child, "entry")}}
        if kind == "script":
            script = {"format": child.get("scriptFormat") or "", "source": (child.text or "").strip()}
            return {"script": {**script, "resource": child.get("resource")}}
    text = (element.text or "").strip()
    return text or None


def _children(element: Any, name: str) -> list[Any]:
    return element.findall(f"{{{CAMUNDA_NS}}}{name}")


def value_of(node: Node, data: Mapping[str, Any], *, name: str) -> Any:
    """The value of one parameter's tree over the task ``data``; ``name`` is for error messages."""
    if node is None:
        return None
    if isinstance(node, str):
        return _text(node, data)
    if "list" in node:
        return [value_of(item, data, name=name) for item in node["list"]]
    if "map" in node:
        return {key: value_of(item, data, name=name) for key, item in node["map"].items()}
    return _script(node["script"], data, name)


def _text(text: str, data: Mapping[str, Any]) -> Any:
    whole = _EXPRESSION.fullmatch(text)
    if whole is not None:
        return evaluate_expression(text, data)
    if _EXPRESSION.search(text) is None:
        return text
    return _EXPRESSION.sub(lambda m: _written(evaluate_expression(m.group(0), data)), text)


def _written(value: Any) -> str:
    # JUEL writes null as empty text inside a composite expression, and booleans in lower case.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _script(script: Mapping[str, Any], data: Mapping[str, Any], name: str) -> Any:
    # As the deploy check reads it: a script with no scriptFormat is Python.
    language = str(script.get("format") or "python").lower()
    if script.get("resource") or "python" not in language:
        what = "an external script resource" if script.get("resource") else f"a {language} script"
        raise ScriptError(
            f"input parameter '{name}' is {what}, which this engine does not run",
            hint='write the value as text, ${…}, or a camunda:script with scriptFormat="python"',
        )
    return evaluate_expression(str(script.get("source") or ""), data)
