"""Turning whatever went wrong inside a script into a :class:`ScriptError` a clerk can read."""

from __future__ import annotations

import decimal
import difflib
from collections.abc import Iterable
from types import TracebackType

from engine.errors import ScriptError
from engine.scripting.limits import SCRIPT_FILENAME, ScriptAborted

MAX_DETAIL = 300
_PLAIN_MESSAGES: dict[type[BaseException], str] = {
    ZeroDivisionError: "division by zero",
    RecursionError: "functions call themselves too deeply (recursion limit reached)",
    MemoryError: "the script ran out of memory",
    decimal.InvalidOperation: "invalid Decimal operation (for example Decimal('abc') or 0/0)",
    decimal.Overflow: "the Decimal number is too large",
}


def script_line(traceback: TracebackType | None) -> int | None:
    """The line of the innermost frame that belongs to the script."""
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == SCRIPT_FILENAME:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    visible = [candidate for candidate in candidates if not candidate.startswith("_")]
    close = difflib.get_close_matches(name, visible, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def describe(exc: BaseException, candidates: Iterable[str]) -> str:
    """A one-line English description of a run-time failure."""
    for kind, message in _PLAIN_MESSAGES.items():
        if isinstance(exc, kind):
            return message
    if isinstance(exc, NameError) and getattr(exc, "name", None):
        return f"name {exc.name!r} is not defined{did_you_mean(exc.name, candidates)}"
    if isinstance(exc, KeyError) and exc.args:
        return f"key {exc.args[0]!r} not found"
    if isinstance(exc, AttributeError) and isinstance(getattr(exc, "obj", None), dict):
        return f"{exc}; dictionary values are read with x[{exc.name!r}], not x.{exc.name}"
    if isinstance(exc, OverflowError):
        return f"number too large: {exc}"
    detail = str(exc)
    if len(detail) > MAX_DETAIL:
        detail = detail[:MAX_DETAIL] + "..."
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def to_script_error(exc: BaseException, candidates: Iterable[str]) -> ScriptError:
    """The :class:`ScriptError` for ``exc``, with the script line where it happened."""
    line = script_line(exc.__traceback__)
    if isinstance(exc, ScriptError):
        if exc.line is None:
            exc.line = line
        return exc
    if isinstance(exc, ScriptAborted):
        return ScriptError(exc.message, line=line)
    return ScriptError(describe(exc, candidates), line=line)
