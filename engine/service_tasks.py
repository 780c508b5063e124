"""The handler registry: ``@handler("area.name")`` binds a service-task name to a Python function.

The engine never imports ``handlers/``; the composition roots (``run.py``, ``webui.create_app``) import
that package, whose modules register themselves here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from engine.clock import Clock
from engine.errors import DuplicateHandler, UnknownHandler, suggest

HandlerResult = Mapping[str, Any] | None
HandlerFn = Callable[["HandlerContext"], HandlerResult]

_REGISTRY: dict[str, HandlerFn] = {}


@dataclasses.dataclass(frozen=True)
class HandlerContext:
    """What a handler may know: the task's data, where it runs, who acts, the clock and services."""

    name: str
    data: Mapping[str, Any]
    params: Mapping[str, Any]
    instance_id: str
    process_key: str
    element_id: str
    actor: str | None
    clock: Clock
    services: Mapping[str, Any]
    org_unit: str | None = None  # the case's unit (the instance's), when it has one


def handler(name: str) -> Callable[[HandlerFn], HandlerFn]:
    """Register ``fn`` as the handler called by service tasks naming ``name``."""

    def register(fn: HandlerFn) -> HandlerFn:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise DuplicateHandler(f"handler '{name}' is registered twice")
        _REGISTRY[name] = fn
        return fn

    return register


def unregister(name: str) -> None:
    """Remove a handler (tests that register throw-away handlers clean up with this)."""
    _REGISTRY.pop(name, None)


def registered() -> list[str]:
    return sorted(_REGISTRY)


def lookup(name: str) -> HandlerFn:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownHandler(f"no handler named '{name}' is registered", hint=did_you_mean(name)) from None


def did_you_mean(name: str) -> str | None:
    return suggest(name, _REGISTRY)
