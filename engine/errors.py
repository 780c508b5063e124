"""Every user-facing failure is one of these types; webui/errors.py and run.py render them.

Each kind carries an HTTP ``status``, a stable machine ``code`` and a CLI ``exit_code``, so the web, the
JSON API and the command line agree on what went wrong without a second mapping table.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any


def suggest(name: str, known: Iterable[str]) -> str | None:
    """The hint for a misspelt name: "did you mean 'x'?" for the closest known one, if any is close."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


class NezaratError(Exception):
    """Base of all errors a user may see. ``message`` is safe to show; no traceback is."""

    status = 500
    code = "error"
    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        element: str | None = None,
        file: str | None = None,
        line: int | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.element = element
        self.file = file
        self.line = line
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": False, "code": self.code, "error": self.message, "status": self.status}
        for key in ("hint", "element", "file", "line", "details"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f" ({self.file}{':' + str(self.line) if self.line else ''})"
        elif self.line:
            where = f" (line {self.line})"
        hint = f"; {self.hint}" if self.hint else ""
        return f"{self.message}{hint}{where}"


class InvalidInput(NezaratError):
    """The request itself is wrong: bad JSON, bad arguments, bad data."""

    status = 400
    code = "invalid_input"
    exit_code = 2


class DefinitionError(InvalidInput):
    """A BPMN bundle cannot be deployed. ``details`` holds the diagnostics (NZ codes)."""

    code = "definition_invalid"


class ValidationError(InvalidInput):
    """Submitted form data failed validation. ``details`` maps field paths to messages."""

    code = "validation_failed"


class ScriptError(InvalidInput):
    """A condition or script was refused by the sandbox or failed while running."""

    code = "script_error"


class Unauthorized(NezaratError):
    status = 401
    code = "unauthorized"
    exit_code = 5


class Forbidden(NezaratError):
    """The actor may not see or act on this object."""

    status = 403
    code = "forbidden"
    exit_code = 5


class NotFound(NezaratError):
    status = 404
    code = "not_found"
    exit_code = 3


class Conflict(NezaratError):
    """Someone else changed the object first (stale revision, double submission)."""

    status = 409
    code = "conflict"
    exit_code = 4


class InvalidTransition(Conflict):
    """The object is not in a state that allows this action (e.g. completing a completed task)."""

    code = "invalid_transition"


class HandlerError(NezaratError):
    """Raised by a service-task handler; becomes a BPMN error with ``error_code`` catchable by a boundary event."""

    status = 422
    code = "handler_error"
    exit_code = 2

    def __init__(self, message: str, *, error_code: str = "handler_error", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.error_code = error_code


class DuplicateHandler(NezaratError):
    """Two handlers registered under one name: a programming error caught at import time."""

    code = "duplicate_handler"


class UnknownHandler(NezaratError):
    status = 400
    code = "unknown_handler"
    exit_code = 2
