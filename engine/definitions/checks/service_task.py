"""Rules about service tasks: each must name a handler registered in ``engine.service_tasks``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from lxml import etree

from engine import service_tasks
from engine.definitions.checks.model import Finding, Model, at, bpmn, camunda, describe, extensions
from engine.definitions.checks.registry import check

_DELEGATES = ("class", "expression", "delegateExpression")
_CAMUNDA_CONNECTOR = "{http://camunda.org/schema/connect/1.0}connector"


@dataclasses.dataclass(frozen=True)
class Implementation:
    """What a serviceTask says will run it: a handler name, or a description of what we cannot run."""

    handler: str | None = None
    foreign: str | None = None


@dataclasses.dataclass(frozen=True)
class Unregistered:
    task: etree._Element
    name: str
    hint: str | None


@check("NZ103", "error")
def misspelt_handler(model: Model) -> Iterator[Finding]:
    """A serviceTask names an unregistered handler that looks like a typo of a registered one."""
    for found in _unregistered(model):
        if found.hint:
            message = f"{describe(found.task)} names handler '{found.name}' which is not registered"
            yield at(found.task, message, found.hint)


@check("NZ104", "warning")
def unknown_handler(model: Model) -> Iterator[Finding]:
    """A serviceTask names an unregistered handler in an area no handler is registered in."""
    for found in _unregistered(model):
        if not found.hint:
            message = (
                f"{describe(found.task)} names handler '{found.name}' which is not registered; "
                f"it will raise an incident until a handler named '{found.name}' is registered"
            )
            yield at(found.task, message, f"register one with @handler('{found.name}') under handlers/")


@check("NZ105", "warning")
def foreign_implementation(model: Model) -> Iterator[Finding]:
    """A serviceTask is a Java delegate, connector or has no implementation, so it cannot run here."""
    for task in model.elements("serviceTask"):
        implementation = implementation_of(task)
        if implementation.handler:
            continue
        what = f"is implemented by {implementation.foreign}" if implementation.foreign else "names no handler"
        message = (
            f"{describe(task)} {what}, which cannot run here; "
            "it will raise an incident until it names a registered handler"
        )
        yield at(task, message, _naming_hint(model))


def implementation_of(task: etree._Element) -> Implementation:
    """Read a Spiff ``serviceTaskOperator`` or Camunda ``camunda:*`` implementation off a serviceTask."""
    for operator in extensions(task, "serviceTaskOperator"):
        if (operator.get("id") or "").strip():
            return Implementation(handler=operator.get("id", "").strip())
    kind, topic = camunda(task, "type"), camunda(task, "topic")
    if kind == "external":
        return (
            Implementation(handler=topic)
            if topic
            else Implementation(foreign="an external task with no topic")
        )
    for attribute in _DELEGATES:
        if camunda(task, attribute):
            return Implementation(
                foreign=f'a Java delegate (camunda:{attribute}="{camunda(task, attribute)}")'
            )
    if kind or task.find(f"{bpmn('extensionElements')}/{_CAMUNDA_CONNECTOR}") is not None:
        return Implementation(
            foreign=f'a Camunda connector (camunda:type="{kind}")' if kind else "a Camunda connector"
        )
    return Implementation()


def _unregistered(model: Model) -> Iterator[Unregistered]:
    """Unregistered handler names; a hint only when the name is in an area we have handlers in.

    A third-party diagram's topic without our ``area.name`` shape ('creditScoreChecker') is not a typo
    of ours, however close it looks, so it stays a warning (NZ104).
    """
    known = set(service_tasks.registered())
    areas = {name.split(".", 1)[0] for name in known if "." in name}
    for task in model.elements("serviceTask"):
        name = implementation_of(task).handler
        if not name or name in known:
            continue
        area = name.split(".", 1)[0] if "." in name else None
        hint = None
        if area in areas:
            siblings = sorted(known_name for known_name in known if known_name.startswith(f"{area}."))
            hint = (
                service_tasks.did_you_mean(name)
                or f"handlers registered in area '{area}': {', '.join(siblings)}"
            )
        yield Unregistered(task, name, hint)


def _naming_hint(model: Model) -> str:
    if model.flavour == "spiff":
        return 'name a handler: <spiffworkflow:serviceTaskOperator id="area.name"/>'
    return 'use camunda:type="external" camunda:topic="area.name"'
