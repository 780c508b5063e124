"""Nezarat's headless core: definitions, runtime, store, inbox, history, timers, scripting, handler registry.

Never imports Flask, Jinja2 or any of ``webui``, ``handlers``, ``forms``, ``signatures``; all contact
with SpiffWorkflow sits in :mod:`engine.spiff`. Time comes from :mod:`engine.clock`.
"""

from engine.clock import Clock, FixedClock, SystemClock
from engine.errors import (
    Conflict,
    DefinitionError,
    Forbidden,
    HandlerError,
    InvalidInput,
    InvalidTransition,
    NezaratError,
    NotFound,
    ScriptError,
    ValidationError,
)
from engine.service_tasks import HandlerContext, handler

__all__ = [
    "Clock",
    "Conflict",
    "DefinitionError",
    "FixedClock",
    "Forbidden",
    "HandlerContext",
    "HandlerError",
    "InvalidInput",
    "InvalidTransition",
    "NezaratError",
    "NotFound",
    "ScriptError",
    "SystemClock",
    "ValidationError",
    "handler",
]
