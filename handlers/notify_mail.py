"""``notify.mail``: a Persian e-mail to a group or a person, from a service task.

Parameters: ``to`` — a group, ``user:<name>``, or several of them separated by commas; ``template`` —
a mail template (``generic`` when absent; see :mod:`handlers.mail`); ``unit`` — around which unit a group's
members are told (default: the case's ``unit`` field, else the unit the instance was started in; without
either, the whole group). Every other parameter and
the case data are values for the template. Returns ``{"notified": [user names]}``.
"""

from __future__ import annotations

from typing import Any

from engine import HandlerContext, HandlerError, handler
from handlers.mail import deliver, recipients, service

_OWN_PARAMS = ("to", "template")


@handler("notify.mail")
def notify_mail(ctx: HandlerContext) -> dict[str, Any]:
    to = str(ctx.params.get("to") or "").strip()
    if not to:
        raise HandlerError("برای ارسال ایمیل، گیرنده (پارامتر to) مشخص نشده است", error_code="mail_failed")
    template = str(ctx.params.get("template") or "generic")
    unit = ctx.params.get("unit") or ctx.data.get("unit") or ctx.org_unit
    people = recipients(service(ctx, "directory"), to, unit=unit)
    values = {
        **ctx.data,
        **{k: v for k, v in ctx.params.items() if k not in _OWN_PARAMS},
        "data": ctx.data,
        "process_key": ctx.process_key,
        "instance_id": ctx.instance_id,
    }
    values.pop("recipients", None)
    return deliver(ctx, people, to, template, **values)
