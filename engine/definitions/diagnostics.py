"""What a deploy-time check reports: a stable NZ code, a message, a hint and the place."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    element: str | None = None

    def __str__(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        where = ""
        if self.file:
            where = f" ({self.file}{':' + str(self.line) if self.line else ''})"
        return f"{self.code} {self.message}{hint}{where}"

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


def errors_in(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity == "error"]
