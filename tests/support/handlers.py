"""Swap a registered handler for a recording one during a test, and put the real one back after."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from engine import service_tasks
from engine.errors import HandlerError


@contextlib.contextmanager
def recording(*names: str, fail: bool = False) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """While open, each handler in ``names`` records (name, params) — or raises HandlerError with ``fail``."""
    calls: list[tuple[str, dict[str, Any]]] = []
    saved = {n: service_tasks.lookup(n) for n in names if n in service_tasks.registered()}

    def record(ctx: service_tasks.HandlerContext) -> dict[str, Any]:
        calls.append((ctx.name, dict(ctx.params)))
        if fail:
            raise HandlerError("the mail server did not answer")
        return {"notified": [f"told:{ctx.params.get('escalate_to') or ctx.params.get('assignee')}"]}

    for name in names:
        service_tasks.unregister(name)
        service_tasks.handler(name)(record)
    try:
        yield calls
    finally:
        for name in names:
            service_tasks.unregister(name)
            if name in saved:
                service_tasks.handler(name)(saved[name])
