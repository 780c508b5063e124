"""The case beside a task: its key data, a short history, and which diagram elements are done.

All three are read from the instance's hash-chained history: the data it was started with and what
each step submitted, later values over earlier ones. Labels come from the titles of the version's
forms, in the page's language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext

import forms
from engine import snapshot
from engine.history import HistoryEvent
from webui.tasks.lookup import element_name, form_of

MAX_FACTS = 14
MAX_STEPS = 8
SHOWN = ("started", "assigned", "claimed", "unclaimed", "referred", "returned", "completed", "escalated",
         "sla_breached", "incident", "cancelled", "instance_completed")  # fmt: skip
DONE = ("completed", "gateway_taken", "service_completed", "script_completed", "end_reached", "timer_fired",
        "boundary_event")  # fmt: skip
EVENT_LABELS = {
    "started": lazy_gettext("آغاز پرونده"),
    "assigned": lazy_gettext("واگذاری"),
    "claimed": lazy_gettext("برداشتن کار"),
    "unclaimed": lazy_gettext("رها کردن کار"),
    "referred": lazy_gettext("ارجاع"),
    "returned": lazy_gettext("بازگرداندن"),
    "completed": lazy_gettext("انجام"),
    "escalated": lazy_gettext("ارجاع به مقام بالاتر"),
    "sla_breached": lazy_gettext("گذشتن مهلت"),
    "incident": lazy_gettext("خطای سامانه"),
    "cancelled": lazy_gettext("لغو پرونده"),
    "instance_completed": lazy_gettext("پایان پرونده"),
}


@dataclasses.dataclass(frozen=True)
class Fact:
    """One key value of the case: ``kind`` is a form field kind (``rial``, ``jalali-date``, ``table`` …)."""

    name: str
    label: str
    kind: str
    value: Any


@dataclasses.dataclass(frozen=True)
class Step:
    at: str
    actor: str | None
    kind: str
    label: str
    element: str | None
    note: str | None


def case_data(events: Sequence[HistoryEvent]) -> dict[str, Any]:
    """The case's data now, folded from its history the one way the auditor's step-through does."""
    return snapshot.as_of(events).data


def facts(data: Mapping[str, Any], fields: Mapping[str, forms.Field]) -> list[Fact]:
    """The case's values that a form names (labelled and typed by it), at most :data:`MAX_FACTS`."""
    found = []
    for name, value in data.items():
        field = fields.get(name)
        if field is None or value in (None, "", []):
            continue
        found.append(Fact(name, field.label, field.kind, value))
    return found[:MAX_FACTS]


def fields_of_version(sha: str, definitions: Mapping[str, Any], lang: str) -> dict[str, forms.Field]:
    """Every field of every form of a version, by name (the first form to name a field labels it)."""
    found: dict[str, forms.Field] = {}
    for name in definitions:
        form = form_of(sha, name, definitions)
        for field in forms.fields(form, lang) if form is not None else []:
            found.setdefault(field.name, field)
    return found


def steps(events: Sequence[HistoryEvent], catalog: Mapping[str, Any]) -> list[Step]:
    """The latest :data:`MAX_STEPS` events people care about, newest first."""
    shown = [e for e in events if e.kind in SHOWN][-MAX_STEPS:]
    return [
        Step(
            at=e.at.isoformat(),
            actor=e.actor,
            kind=e.kind,
            label=str(EVENT_LABELS.get(e.kind, e.kind)),
            element=element_name(catalog, e.element_id),
            note=(e.data or {}).get("note"),
        )
        for e in reversed(shown)
    ]


def done_elements(events: Sequence[HistoryEvent]) -> list[str]:
    return sorted({e.element_id for e in events if e.kind in DONE and e.element_id})


def attachment_refs(data: Mapping[str, Any]) -> set[str]:
    """Every attachment ref in the case data (top level and table cells)."""
    found: set[str] = set()
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and item.startswith("sha256:"):
            found.add(item)
    return found
