"""Give SpiffWorkflow's timers the engine's clock.

SpiffWorkflow 3.2 computes and checks timer due times with ``datetime.now(timezone.utc)`` inside its
timer module and offers no hook. We replace that module's ``datetime`` name once with a subclass whose
``now()`` reads the clock of the current engine call from a context variable (falling back to the real
time), so tests, ``tick --now`` and replay control when timers fire. This is the one patch of a
SpiffWorkflow module in Nezarat; ``tests/engine/test_spiff__clockhook.py`` guards it on upgrades.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as _dt
from collections.abc import Iterator

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _timer_module

from engine.clock import Clock

_current: contextvars.ContextVar[Clock | None] = contextvars.ContextVar("nezarat_clock", default=None)


class _ClockedDatetime(_dt.datetime):
    @classmethod
    def now(cls, tz: _dt.tzinfo | None = None) -> _ClockedDatetime:  # type: ignore[override]
        clock = _current.get()
        if clock is None:
            return super().now(tz)
        now = clock.now()
        if tz is not None:
            now = now.astimezone(tz)
        return cls.fromtimestamp(now.timestamp(), tz=now.tzinfo)


def install() -> None:
    _timer_module.datetime = _ClockedDatetime  # type: ignore[misc]


@contextlib.contextmanager
def using(clock: Clock) -> Iterator[None]:
    """Within the block, SpiffWorkflow's timers read ``clock``."""
    token = _current.set(clock)
    try:
        yield
    finally:
        _current.reset(token)


install()
