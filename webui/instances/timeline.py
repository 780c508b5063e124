"""The instance's history as the auditor reads it: one entry per event, its kind in the page's language,
who and when, the step's name, and what the event records (data keys, referral notes, deadlines,
escalations, signatures, incidents) as labelled details."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import lazy_gettext

from webui.tasks.case import EVENT_LABELS
from webui.tasks.lookup import element_name

LABELS = {
    **EVENT_LABELS,
    "task_ready": lazy_gettext("آماده شدن کار"),
    "referral_skipped": lazy_gettext("ارجاع خودکار انجام نشد"),
    "signed": lazy_gettext("امضای دیجیتال"),
    "task_cancelled": lazy_gettext("لغو کار"),
    "gateway_taken": lazy_gettext("انتخاب مسیر"),
    "script_completed": lazy_gettext("اجرای اسکریپت"),
    "service_completed": lazy_gettext("بررسی سامانه"),
    "timer_fired": lazy_gettext("رسیدن زمان‌سنج"),
    "boundary_event": lazy_gettext("رویداد مرزی"),
    "end_reached": lazy_gettext("رسیدن به پایان"),
    "retried": lazy_gettext("اجرای دوباره"),
    "sla_reminder": lazy_gettext("یادآوری مهلت"),
    # An administrator's actions (engine.admin, engine.migration)
    "suspended": lazy_gettext("تعلیق پرونده"),
    "resumed": lazy_gettext("ازسرگیری پرونده"),
    "reassigned": lazy_gettext("واگذاری به دستور مدیر"),
    "data_edited": lazy_gettext("اصلاح داده‌ها"),
    "skipped": lazy_gettext("گذشتن از کار به دستور مدیر"),
    "migrated": lazy_gettext("انتقال به نسخهٔ دیگر"),
}
# Events that end a step or change the case's course, shown stronger on the timeline.
MAJOR = frozenset({"started", "completed", "signed", "referred", "returned", "escalated", "sla_breached",
                   "incident", "cancelled", "instance_completed"})  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Detail:
    """One thing an event records; ``kind`` says how to write it: text, who, when, note, keys, code, groups."""

    label: str
    value: Any
    kind: str = "text"


@dataclasses.dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str | None
    kind: str
    label: str
    element: str | None
    major: bool
    details: list[Detail]


def entries(events: list[dict[str, Any]], catalog: Mapping[str, Any]) -> list[Entry]:
    """Every event of ``events`` (``Platform.history`` dicts), oldest first."""
    return [
        Entry(
            seq=e["seq"],
            at=e["at"],
            actor=e["actor"],
            kind=e["kind"],
            label=str(LABELS.get(e["kind"], e["kind"])),
            element=element_name(catalog, e["element_id"]),
            major=e["kind"] in MAJOR,
            details=details(e["kind"], e["data"] or {}, catalog),
        )
        for e in events
    ]


def details(kind: str, data: Mapping[str, Any], catalog: Mapping[str, Any]) -> list[Detail]:
    reader = _READERS.get(kind)
    return [d for d in (reader(data, catalog) if reader else []) if d.value not in (None, "", [], {})]


def _started(data: Mapping[str, Any], _: Mapping[str, Any]) -> list[Detail]:
    return [
        Detail(str(lazy_gettext("نسخهٔ فرایند")), data.get("version")),
        Detail(str(lazy_gettext("داده‌ها")), sorted(data.get("data") or {}), "keys"),
    ]


def _ready(data: Mapping[str, Any], _: Mapping[str, Any]) -> list[Detail]:
    return [
        Detail(str(lazy_gettext("گروه‌ها")), list(data.get("candidate_groups") or []), "groups"),
        Detail(str(lazy_gettext("کاربر")), data.get("assignee"), "who"),
        Detail(str(lazy_gettext("واحد")), data.get("org_unit"), "code"),
        Detail(str(lazy_gettext("مهلت")), data.get("due_at"), "when"),
    ]


def _assigned(data: Mapping[str, Any], _: Mapping[str, Any]) -> list[Detail]:
    return [
        Detail(str(lazy_gettext("به")), data.get("to"), "who"),
        Detail(str(lazy_gettext("روش")), data.get("policy"), "code"),
        Detail(str(lazy_gettext("غایب")), ", ".join(data.get("absent") or []), "code"),
    ]


def _referral(data: Mapping[str, Any], _: Mapping[str, Any]) -> list[Detail]:
    return [
        Detail(str(lazy_gettext("از")), data.get("from"), "who"),
        Detail(str(lazy_gettext("به")), data.get("to") or data.get("to_unit"), "who"),
        Detail(str(lazy_gettext("جانشینِ")), data.get("delegated_from"), "who"),
        Detail(str(lazy_gettext("یادداشت")), data.get("note"), "note"),
    ]


def _completed(data: Mapping[str, Any], _: Mapping[str, Any]) -> list[Detail]:
    return [Detail(str(lazy_gettext("داده‌های ثبت‌شده")), sorted(data.get("submitted") or {}), "keys")]


def _admin(data: Mapping[str, Any], _: Mapping[str, Any]) -> list[Detail]:
    """Any administrator's action: what it changed, and the admin's note."""
    return [
        Detail(str(lazy_gettext("از")), data.get("from"), "who"),
        Detail(str(lazy_gettext("به")), data.get("to"), "who"),
        Detail(
            str(lazy_gettext("داده‌های ثبت‌شده")),
            sorted(data.get("submitted") or data.get("new") or {}),
            "keys",
        ),
        Detail(str(lazy_gettext("از نسخهٔ")), data.get("from_version")),
        Detail(str(lazy_gettext("به نسخهٔ")), data.get("to_version")),
        Detail(str(lazy_gettext("یادداشت")), data.get("note"), "note"),
    ]


def _delta(data: Mapping[str, Any], _: Mapping[str, Any]) -> list[Detail]:
    delta = data.get("delta") or {}
    return [
        Detail(str(lazy_gettext("پردازشگر")), data.get("handler"), "code"),
        Detail(str(lazy_gettext("داده‌های تغییرکرده")), sorted(delta.get("set") or []), "keys"),
        Detail(str(lazy_gettext("داده‌های حذف‌شده")), sorted(delta.get("removed") or []), "keys"),
    ]


def _gateway(data: Mapping[str, Any], catalog: Mapping[str, Any]) -> list[Detail]:
    names = [element_name(catalog, e) or "" for e in data.get("to") or [] if e]
    return [Detail(str(lazy_gettext("به سوی")), "، ".join(names))]


def _deadline(data: Mapping[str, Any], _: Mapping[str, Any]) -> list[Detail]:
    return [
        Detail(str(lazy_gettext("مهلت")), data.get("due_at"), "when"),
        Detail(str(lazy_gettext("ارجاع به گروه")), data.get("escalate_to"), "code"),
    ]


def _signed(data: Mapping[str, Any], _: Mapping[str, Any]) -> list[Detail]:
    return [
        Detail(str(lazy_gettext("امضاکننده")), data.get("signer"), "who"),
        Detail(str(lazy_gettext("شمارهٔ گواهی")), data.get("certificate_serial"), "code"),
        Detail(str(lazy_gettext("زمان امضا")), data.get("signed_at"), "when"),
        Detail(str(lazy_gettext("چکیدهٔ محتوا")), (data.get("content_sha256") or "")[:16], "code"),
    ]


def _incident(data: Mapping[str, Any], _: Mapping[str, Any]) -> list[Detail]:
    return [
        Detail(str(lazy_gettext("پیام")), data.get("message"), "note"),
        Detail(str(lazy_gettext("سطر")), data.get("line")),
    ]


def _noted(data: Mapping[str, Any], _: Mapping[str, Any]) -> list[Detail]:
    """An administrator's action: the note they left for the history."""
    return [Detail(str(lazy_gettext("یادداشت")), data.get("note"), "note")]


def _final(data: Mapping[str, Any], _: Mapping[str, Any]) -> list[Detail]:
    return [Detail(str(lazy_gettext("داده‌های پایانی")), sorted(data.get("data") or {}), "keys")]


Reader = Callable[[Mapping[str, Any], Mapping[str, Any]], list[Detail]]
_READERS: dict[str, Reader] = {
    "started": _started,
    "task_ready": _ready,
    "assigned": _assigned,
    "referred": _referral,
    "returned": _referral,
    "completed": _completed,
    "script_completed": _delta,
    "service_completed": _delta,
    "boundary_event": _delta,
    "gateway_taken": _gateway,
    "sla_reminder": _deadline,
    "escalated": _deadline,
    "sla_breached": _deadline,
    "signed": _signed,
    "incident": _incident,
    "instance_completed": _final,
    "cancelled": _noted,
    "retried": _noted,
    **dict.fromkeys(("suspended", "resumed", "reassigned", "data_edited", "skipped", "migrated"), _admin),
}
