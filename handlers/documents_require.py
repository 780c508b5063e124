"""``documents.require``: every document the step needs is attached and its file is in the store.

Parameters: ``required`` — the case-data fields that must hold an attachment (a list, or names separated
by commas); ``labels`` (optional) — a mapping of field → Persian label for the message, over the labels
of the shipped bundles' forms kept in :data:`KNOWN_LABELS`. A field passes when its value is an
attachment ref (``sha256:<hex>``, or a non-empty list of them) that the ``attachments`` service holds.

Writes ``documents_check`` = ``{"ok": true, "checked": [fields]}``. A missing document throws the BPMN
error ``check_failed`` whose Persian message names the documents (the catching path, e.g. "complete the
documents", shows it to the clerk) and whose details are ``{"missing": [fields], "not_stored": [...]}``.
A task without ``required`` or a deployment without the attachment store is a fault of the diagram or
the installation, not of the clerk: it raises an error no boundary catches, so it becomes an incident.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from engine import HandlerContext, HandlerError, handler

CHECK_FAILED = "check_failed"
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SEPARATORS = re.compile(r"[,،\s]+")

# The titles the shipped bundles' forms give these attachment fields, so a clerk reads the document's
# name rather than its field; where two bundles word a title differently, the common part is kept.
KNOWN_LABELS = {
    "council_minutes": "صورت‌جلسهٔ شورا",
    "nominee_cv": "رزومهٔ نامزد",
    "nominee_id_card": "تصویر مدارک شناسایی",
    "nominee_degree": "تصویر مدرک تحصیلی",
    "grading_forms": "فرم‌های درجه‌بندی تکمیل‌شده",
}


@handler("documents.require")
def require(ctx: HandlerContext) -> dict[str, object]:
    fields = required_fields(ctx)
    store = _store(ctx)
    absent = [f for f in fields if not _refs(ctx.data.get(f))]
    not_stored = [
        f for f in fields if f not in absent and not all(store.exists(r) for r in _refs(ctx.data[f]))
    ]
    missing = [f for f in fields if f in absent or f in not_stored]
    if missing:
        labels = {**KNOWN_LABELS, **_labels(ctx)}
        raise HandlerError(
            _message(absent, not_stored, labels),
            error_code=CHECK_FAILED,
            element=ctx.element_id,
            details={"missing": missing, "not_stored": not_stored},
        )
    return {"documents_check": {"ok": True, "checked": fields}}


def required_fields(ctx: HandlerContext) -> list[str]:
    """The field names of the ``required`` parameter, in order, each once."""
    raw = ctx.params.get("required")
    names = _SEPARATORS.split(raw) if isinstance(raw, str) else raw
    if not isinstance(names, (list, tuple)) or not any(str(n).strip() for n in names):
        raise HandlerError(
            "فهرست مدارک لازم (پارامتر required) برای این مرحله تعیین نشده است؛ مدارک بررسی نشد.",
            error_code="invalid_input",
            element=ctx.element_id,
            hint="give the service task a 'required' input parameter: field names separated by commas",
        )
    fields = [str(n).strip() for n in names if str(n).strip()]
    bad = [f for f in fields if not _FIELD.fullmatch(f)]
    if bad:
        raise HandlerError(
            f"پارامتر required باید نام فیلدها باشد، نه {bad[0]!r}.",
            error_code="invalid_input",
            element=ctx.element_id,
            hint="the parameter must be the literal field names, not values read from the case",
        )
    return list(dict.fromkeys(fields))


def _refs(value: Any) -> list[str]:
    """The attachment refs a field holds: one ref, or a list of them; empty when nothing is attached."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v).strip()]
    return []


def _store(ctx: HandlerContext) -> Any:
    store = ctx.services.get("attachments")
    if store is None:
        raise HandlerError(
            f"handler '{ctx.name}' needs the attachment store, but no 'attachments' service is configured",
            element=ctx.element_id,
        )
    return store


def _labels(ctx: HandlerContext) -> dict[str, str]:
    given = ctx.params.get("labels") or {}
    if not isinstance(given, Mapping):
        raise HandlerError(
            "پارامتر labels باید نگاشت نام فیلد به عنوان فارسی آن باشد.",
            error_code="invalid_input",
            element=ctx.element_id,
        )
    return {str(k): str(v) for k, v in given.items()}


def _message(absent: list[str], not_stored: list[str], labels: Mapping[str, str]) -> str:
    def listed(fields: list[str]) -> str:
        return "، ".join(f"«{labels.get(f, f)}»" for f in fields)

    parts = []
    if absent:
        parts.append(f"این مدارک پیوست نشده است: {listed(absent)}.")
    if not_stored:
        parts.append(
            f"پروندهٔ این مدارک در بایگانی پیوست‌ها پیدا نشد و باید دوباره بارگذاری شود: {listed(not_stored)}."
        )
    return "مدارک لازم کامل نیست. " + " ".join(parts)
