"""``@check("NZ1xx", severity)``: one small function per rule, listed in ``CHECKS``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from engine.definitions.checks.model import Finding, Model
from engine.definitions.diagnostics import Diagnostic, Severity

CheckFn = Callable[[Model], Iterable[Finding]]


@dataclasses.dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    doc: str
    fn: CheckFn

    def apply(self, model: Model) -> list[Diagnostic]:
        return [
            Diagnostic(
                self.code,
                self.severity,
                found.message,
                hint=found.hint,
                file=model.filename,
                line=found.line,
                element=found.element,
            )
            for found in self.fn(model)
        ]


CHECKS: dict[str, Check] = {}


def check(code: str, severity: Severity) -> Callable[[CheckFn], CheckFn]:
    """Register a rule under a stable code; its docstring's first line documents it."""

    def register(fn: CheckFn) -> CheckFn:
        if code in CHECKS:
            raise ValueError(f"check {code} is registered twice")
        doc = (fn.__doc__ or "").strip().splitlines()
        CHECKS[code] = Check(code, severity, doc[0] if doc else "", fn)
        return fn

    return register
