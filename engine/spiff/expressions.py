"""Expressions from diagrams: bare ISO timer values, Camunda JUEL, everything else Python in the sandbox."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine import scripting
from engine.clock import FixedClock
from engine.spiff import clockhook

# Camunda diagrams write timers as bare ISO 8601 (PT5M, 2024-01-01T10:00, R3/PT1H); Spiff expects a
# Python string literal. Accept both: a bare ISO value is its own literal.
_ISO_LITERAL = re.compile(
    r"(R\d*/)?(P(?=[0-9T])[0-9YMWD]*(T[0-9HMS.]+)?|\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)"
    r"(/(P(?=[0-9T])[0-9YMWD]*(T[0-9HMS.]+)?|\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?))?"
)
_JUEL = re.compile(r"\s*[$#]\{.*\}\s*", re.DOTALL)


def evaluate_expression(expression: str, data: Mapping[str, Any], external: Any = None) -> Any:
    source = expression.strip()
    if _ISO_LITERAL.fullmatch(source):
        return source
    if _JUEL.fullmatch(source):
        source = scripting.juel_to_python(source)
    names = {**external, **data} if external else data
    return scripting.evaluate(source, names)


def iso_duration(text: str, start: dt.datetime) -> dt.timedelta:
    """An ISO 8601 duration (P3D, PT4H, P1M) as a timedelta from ``start`` (months vary in length)."""
    parsed = TimerEventDefinition.parse_iso_duration(text)
    return TimerEventDefinition.get_timedelta_from_start(parsed, start)  # type: ignore[no-any-return]


def first_start_due(kind: str, expression: str, now: dt.datetime) -> tuple[dt.datetime, int, float]:
    """When a timer start event first fires: (due, remaining firings or -1 for ever, interval in seconds)."""
    value = expression
    if kind == "date":
        return TimerEventDefinition.get_datetime(value), 1, 0.0
    if kind == "duration":
        return now + iso_duration(value, now), 1, 0.0
    with clockhook.using(FixedClock(now)):
        cycles, start, interval = TimerEventDefinition.parse_iso_recurring_interval(value)
    return start, cycles, interval.total_seconds()
