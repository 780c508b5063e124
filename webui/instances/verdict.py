"""What the verify button shows: whatever :meth:`Platform.verify` returns, through this one presenter.

The engine's verdict today holds ``ok``, the number of events, the first broken event and why; a richer
report (signatures, checkpoints, replay) brings more fields, which are shown as further lines without
a change here. Any object with ``to_dict()`` (or a dataclass) will do.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

KNOWN = ("instance_id", "ok", "events", "first_broken_seq", "reason")


@dataclasses.dataclass(frozen=True)
class VerifyReport:
    """``broken_seq``: the first event that does not verify (None when all do); ``more``: the verdict's
    other fields as (name, text) lines."""

    ok: bool
    events: int | None
    broken_seq: int | None
    reason: str | None
    more: list[tuple[str, str]]


def present(verdict: Any) -> VerifyReport:
    found = verdict.to_dict() if hasattr(verdict, "to_dict") else dataclasses.asdict(verdict)
    more = [(str(k), _text(v)) for k, v in found.items() if k not in KNOWN and v is not None]
    return VerifyReport(
        ok=bool(found.get("ok")),
        events=found.get("events"),
        broken_seq=found.get("first_broken_seq"),
        reason=found.get("reason"),
        more=more,
    )


def _text(value: Any) -> str:
    if isinstance(value, (str, int, float, bool)):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
