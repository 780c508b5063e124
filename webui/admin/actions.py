"""``/admin/incidents`` and an instance's admin actions: suspend, resume, cancel, retry, and skip an open task.

Each action is a POST through :class:`engine.platform.Platform`, so it is one transaction with its
history event naming the admin. An action the instance's state does not allow (resume a running
instance, retry one without an incident) changes nothing and comes back as a message on the page.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response

from engine.errors import InvalidTransition, ValidationError
from engine.platform import Platform
from webui.admin import roster
from webui.admin.contexts import IncidentsPage, InstanceActionsPage
from webui.admin.views import bp, field, require_admin
from webui.extension import current_platform
from webui.statuses import STATUS_LABELS

# What each status allows, on this page and the auditor's instance page; the engine decides again (and
# refuses) when the action is sent.
ALLOWED = {
    "running": ["suspend", "cancel"],
    "error": ["retry", "suspend", "cancel"],
    "suspended": ["resume", "cancel"],
}
DONE = {
    "suspend": lazy_gettext("پرونده معلق شد."),
    "resume": lazy_gettext("پرونده از سر گرفته شد."),
    "cancel": lazy_gettext("پرونده لغو شد."),
    "retry": lazy_gettext("گام ناموفق دوباره اجرا شد."),
    "skip": lazy_gettext("از کار گذشتید؛ پرونده به گام بعد رفت."),
    "migrate": lazy_gettext("پرونده به نسخهٔ دیگر فرایند منتقل شد."),
}
# The states in which an open task may be skipped (the engine checks again).
SKIPPABLE = ("running", "error")
MIGRATABLE = ("running", "error", "suspended")


@bp.get("/incidents")
def incidents() -> str:
    with current_platform().store.reading() as tx:
        page = IncidentsPage(incidents=roster.incidents(tx))
    return render_template("admin/incidents.html", page=page)


@bp.get("/instances/<instance_id>")
def instance(instance_id: str) -> str:
    platform = current_platform()
    found = platform.instance(instance_id, actor=require_admin().name)
    with platform.store.reading() as tx:
        tasks = roster.open_tasks(tx, instance_id)
        version, others = roster.other_versions(tx, instance_id)
    page = InstanceActionsPage(
        instance_id=found["instance_id"],
        process_key=found["process_key"],
        business_key=found.get("business_key"),
        status=found["status"],
        status_label=str(STATUS_LABELS.get(found["status"], found["status"])),
        incident=found.get("incident"),
        actions=ALLOWED.get(found["status"], []),
        open_tasks=tasks,
        skippable=found["status"] in SKIPPABLE,
        version=version,
        versions=others if found["status"] in MIGRATABLE else [],
    )
    return render_template("admin/instance.html", page=page)


def _act(name: str, instance_id: str, call: Callable[[Platform, str, str | None], object]) -> Response:
    admin, note = require_admin(), field("note") or None
    try:
        call(current_platform(), admin.name, note)
    except InvalidTransition as err:
        flash(_("این کار در وضع کنونی پرونده ممکن نیست: %(why)s", why=err.message), "error")
    except ValidationError as err:  # a skip whose task's form needs answers the next steps read
        flash(_("داده‌های این کار کامل نیست: %(why)s", why=err.message), "error")
    else:
        flash(str(DONE[name]), "ok")
    # Back to the page the form was on: the incidents list, the auditor's instance page, or this one.
    back = request.form.get("back")
    if back == "incidents":
        return redirect(url_for("admin.incidents"))
    endpoint = "instances.show" if back == "instance" else "admin.instance"
    return redirect(url_for(endpoint, instance_id=instance_id))


@bp.post("/instances/<instance_id>/suspend")
def suspend(instance_id: str) -> Response:
    return _act("suspend", instance_id, lambda p, who, note: p.suspend(instance_id, actor=who, note=note))


@bp.post("/instances/<instance_id>/resume")
def resume(instance_id: str) -> Response:
    return _act("resume", instance_id, lambda p, who, note: p.resume(instance_id, actor=who, note=note))


@bp.post("/instances/<instance_id>/cancel")
def cancel(instance_id: str) -> Response:
    return _act("cancel", instance_id, lambda p, who, note: p.cancel(instance_id, actor=who, note=note))


@bp.post("/instances/<instance_id>/retry")
def retry(instance_id: str) -> Response:
    return _act("retry", instance_id, lambda p, who, note: p.retry(instance_id, actor=who))


@bp.post("/instances/<instance_id>/migrate")
def migrate(instance_id: str) -> Response:
    """Move the instance to another deployed version; a state that does not fit it is refused, unchanged."""
    target = field("to_version", 10)
    if not target.isdigit():
        flash(_("نسخه‌ای را که پرونده به آن برود برگزینید."), "error")
        return redirect(url_for("admin.instance", instance_id=instance_id))
    return _act(
        "migrate",
        instance_id,
        lambda p, who, note: p.migrate(instance_id, to_version=int(target), actor=who, note=note),
    )


@bp.post("/instances/<instance_id>/tasks/<task_id>/skip")
def skip(instance_id: str, task_id: str) -> Response:
    return _act("skip", instance_id, lambda p, who, note: p.skip(task_id, actor=who, note=note))
