"""``/tasks/<id>``: the task page (GET), completing it (POST), claim, unclaim, refer, return, drafts, the
diagram's data and the case's attachments.

The page opens the task through the inbox's visibility rule (:mod:`webui.tasks.lookup`), so another
unit's task is a 404 by URL as in the inbox. Completion goes through :meth:`Platform.complete`, which
validates against the form in the step's transaction; its ``ValidationError`` is shown next to each
field, with what was typed kept. Refer and return post the task's form too (their controls belong to
it), so what was typed travels with the task as its draft. Names of these controls start with ``_``,
which no form field may (``engine.runtime.check_data``). A signature step signs on the clerk's token or
on the server (:mod:`webui.tasks.signature`).
"""

from __future__ import annotations

import dataclasses
import io

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy import select

import forms
from engine import history
from engine.directory import Person
from engine.errors import Conflict, InvalidTransition, NotFound, ValidationError
from engine.platform import Platform
from engine.store.models import ProcessVersion
from webui.accounts import require_person
from webui.extension import current_platform
from webui.i18n import language
from webui.tasks import case, drafts, lookup, signature, submission
from webui.tasks.page import attachment_store, field_errors, task_page

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


@bp.before_request
def signed_in() -> None:
    require_person()


@bp.get("/<task_id>")
def show(task_id: str) -> str:
    return render_template("tasks/page.html", page=task_page(current_platform(), require_person(), task_id))


@bp.post("/<task_id>")
def complete(task_id: str) -> Response | str:
    person, platform = require_person(), current_platform()
    opened, posted = _posted(platform, person, task_id)
    # A refused submission is the page again with its errors, answered 200: the form is the answer, and
    # browsers log any 4xx document as a console error.
    if posted.errors:
        return _again(task_id, posted, posted.errors, _("پرونده‌ای که فرستادید پذیرفته نشد."))
    try:
        if opened.signature_required:
            signature.complete(platform, person, task_id, posted.data, _revision())
        else:
            platform.complete(task_id, posted.data, actor=person.name, expected_rev=_revision())
    except signature.Refused as refused:
        return _again(task_id, posted, {}, None, signature_error=refused.message)
    except ValidationError as err:
        return _again(task_id, posted, field_errors(err), err.message)
    except InvalidTransition:
        raise
    except Conflict:
        message = _("پرونده در این میان تغییر کرده است؛ آنچه را نوشته‌اید بازبینی کنید و دوباره بفرستید.")
        return _again(task_id, posted, {}, message)
    drafts.drop(platform.store, task_id)
    flash(_("کار انجام شد."), "ok")
    return redirect(url_for("inbox.index"))


def _again(
    task_id: str,
    posted: submission.Posted,
    errors: dict[str, str],
    problem: str | None,
    *,
    signature_error: str | None = None,
) -> str:
    page = task_page(current_platform(), require_person(), task_id, posted, errors, problem)
    return render_template("tasks/page.html", page=dataclasses.replace(page, signature_error=signature_error))


@bp.post("/<task_id>/approval")
def prepare(task_id: str) -> Response:
    """The bytes the clerk's token signs for the posted form (the page's script sends them to the agent)."""
    person, platform = require_person(), current_platform()
    _, posted = _posted(platform, person, task_id)
    if posted.errors:
        raise ValidationError(_("پرونده‌ای که فرستادید پذیرفته نشد."))
    return jsonify(signature.prepare(platform, person, task_id, posted.data))


def _posted(platform: Platform, person: Person, task_id: str) -> tuple[lookup.OpenTask, submission.Posted]:
    """The task as the clerk may see it, and the posted form read against its fields."""
    opened = lookup.open_task(platform, person, task_id)
    fields = forms.fields(opened.form, language()) if opened.form else []
    return opened, submission.read(fields, request.form, request.files, attachment_store(platform))


def _revision() -> int | None:
    raw = request.form.get("_rev", "")
    return int(raw) if raw.isdigit() else None


def _keep_draft(platform: Platform, person: Person, task_id: str) -> None:
    """Save what the task's form holds, if it was posted along (the holder's form is enabled)."""
    if not any(not key.startswith("_") and key != "csrf_token" for key in [*request.form, *request.files]):
        return
    _, posted = _posted(platform, person, task_id)
    if posted.values:
        drafts.save(platform.store, task_id, posted.values, person.name, platform.clock.now())


@bp.post("/<task_id>/draft")
def save_draft(task_id: str) -> Response:
    person, platform = require_person(), current_platform()
    lookup.open_task(platform, person, task_id)
    _keep_draft(platform, person, task_id)
    flash(_("پیش‌نویس ذخیره شد."), "ok")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.post("/<task_id>/claim")
def claim(task_id: str) -> Response:
    person, platform = require_person(), current_platform()
    lookup.open_task(platform, person, task_id)  # another unit's task: 404, as for the page
    platform.claim(task_id, actor=person.name)
    flash(_("کار را برداشتید؛ اکنون در کارتابل شماست."), "ok")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.post("/<task_id>/unclaim")
def unclaim(task_id: str) -> Response:
    person, platform = require_person(), current_platform()
    lookup.open_task(platform, person, task_id)
    platform.unclaim(task_id, actor=person.name)
    flash(_("کار را رها کردید؛ به کارتابل گروه برگشت."), "ok")
    return redirect(url_for("inbox.index"))


@bp.post("/<task_id>/refer")
def refer(task_id: str) -> Response:
    person, platform = require_person(), current_platform()
    to_user = request.form.get("_to_user", "").strip() or None
    to_unit = request.form.get("_to_unit", "").strip() or None
    lookup.open_task(platform, person, task_id)
    if (to_user is None) == (to_unit is None):
        flash(_("کار را یا به یک نفر ارجاع دهید یا به یک واحد، نه هر دو."), "error")
        return redirect(url_for("tasks.show", task_id=task_id))
    _keep_draft(platform, person, task_id)
    note = request.form.get("_refer_note") or None
    platform.refer(task_id, actor=person.name, to_user=to_user, to_unit=to_unit, note=note)
    flash(_("کار به %(to)s ارجاع شد.", to=to_user or to_unit), "ok")
    return redirect(url_for("inbox.index"))


@bp.post("/<task_id>/return")
def give_back(task_id: str) -> Response:
    person, platform = require_person(), current_platform()
    lookup.open_task(platform, person, task_id)
    _keep_draft(platform, person, task_id)
    platform.give_back(task_id, actor=person.name, note=request.form.get("_return_note") or None)
    flash(_("کار به ارجاع‌دهنده بازگردانده شد."), "ok")
    return redirect(url_for("inbox.index"))


@bp.get("/<task_id>/diagram")
def diagram(task_id: str) -> Response:
    """The version's BPMN XML with the done and the current elements, for the diagram viewer."""
    person, platform = require_person(), current_platform()
    opened = lookup.open_task(platform, person, task_id)
    with platform.store.reading() as tx:
        xml = tx.scalar(select(ProcessVersion.bpmn_xml).where(ProcessVersion.id == opened.version_id))
        events = history.events_of(tx, opened.task["instance_id"])
    active = opened.task["element_id"]
    done = [e for e in case.done_elements(events) if e != active]
    return jsonify({"xml": xml, "done": done, "active": [active]})


@bp.get("/<task_id>/files/<ref>")
def attachment(task_id: str, ref: str) -> Response:
    """A file of the task's case (only refs the case data holds)."""
    person, platform = require_person(), current_platform()
    opened = lookup.open_task(platform, person, task_id)
    with platform.store.reading() as tx:
        data = case.case_data(history.events_of(tx, opened.task["instance_id"]))
    if ref not in case.attachment_refs(data):
        raise NotFound(f"attachment {ref} is not part of this case")
    store = attachment_store(platform)
    info = store.info(ref)
    return send_file(
        io.BytesIO(store.get(ref)),
        mimetype=info.content_type,
        download_name=info.filename,
        as_attachment=True,
    )
