"""The form builder: ``/models/<key>/forms`` lists the bundle's forms, ``/models/<key>/forms/<name>`` edits
one (``static/models/form_builder.js`` edits the builder's model of it, :mod:`webui.models.form_model`,
and posts the model back), and the preview draws it with the task page's own field macros
(``templates/tasks/fields.html``), so what the owner sees is what the clerk will get.

A saved form goes into the owner's draft of the process (made from the newest version if there is none
yet) and is deployed with the diagram; the forms check (NZ021) runs at check and deploy time, as for
``run.py deploy``. The preview shows a broken form's problems instead of fields.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response, jsonify, render_template, request, url_for
from flask_babel import gettext as _

import forms
from engine.errors import InvalidInput
from webui.extension import current_platform
from webui.i18n import language
from webui.models import drafts, versions
from webui.models.contexts import FormBuilderPage, FormsPage, PreviewPage
from webui.models.form_model import form_of, model_of
from webui.models.owners import require_owner
from webui.models.views import bp
from webui.people import units

FORM_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,80}\.json")
MAX_FORM_BYTES = 512 * 1024


def _bundle_forms(key: str) -> tuple[dict[str, Any], int | None, bool]:
    """The forms of the owner's draft of ``key``, else of its newest version; its base; from the draft?"""
    person, store = require_owner(), current_platform().store
    draft = drafts.load(store, person.name, key)
    if draft is not None:
        return draft.forms, draft.base_version, True
    stored = versions.stored(store, key)
    return stored.forms, stored.version, False


@bp.get("/<key>/forms")
def form_list(key: str) -> str:
    found, base, in_draft = _bundle_forms(key)
    titles = [(name, _title(form)) for name, form in sorted(found.items())]
    page = FormsPage(process_key=key, base_version=base, in_draft=in_draft, forms=titles)
    return render_template("models/forms.html", page=page)


def _title(form: Any) -> str:
    title = form.get("title") if isinstance(form, dict) else None
    if isinstance(title, dict):
        return str(title.get(language()) or title.get("fa") or "")
    return ""


@bp.get("/<key>/forms/<name>")
def form_page(key: str, name: str) -> str:
    found, _base, in_draft = _bundle_forms(key)
    form = found.get(_checked_name(name)) or _empty_form(name)
    config = {
        "model": model_of(form),
        "saveUrl": url_for("models.save_form", key=key, name=name),
        "previewUrl": url_for("models.preview", key=key),
        "text": {"saved": _("فرم در پیش‌نویس ذخیره شد."), "failed": _("انجام نشد؛ دوباره امتحان کنید.")},
    }
    page = FormBuilderPage(process_key=key, form_name=name, in_draft=in_draft, config=config)
    return render_template("models/form.html", page=page)


def _empty_form(name: str) -> dict[str, Any]:
    stem = name.removesuffix(".json")
    return {"title": {"fa": stem, "en": stem}, "schema": {"type": "object", "properties": {}}}


def _checked_name(name: str) -> str:
    if not FORM_NAME.fullmatch(name):
        raise InvalidInput(_("نام فرم باید لاتین باشد و به ‎.json‎ پایان یابد، مانند review.json."))
    return name


@bp.post("/<key>/forms/<name>")
def save_form(key: str, name: str) -> Response:
    """Put the posted form into the owner's draft (made from the newest version if there is none)."""
    person, platform = require_owner(), current_platform()
    try:
        form = form_of(_posted_model())
    except InvalidInput as err:  # nothing to save: say why beside the button
        return _refused(err)
    draft = drafts.load(platform.store, person.name, key)
    if draft is None:
        stored = versions.stored(platform.store, key)
        draft = drafts.Draft(key, stored.version, stored.bpmn, stored.forms, platform.clock.now())
    updated = {**draft.forms, _checked_name(name): form}
    drafts.save(
        platform.store,
        person.name,
        drafts.Draft(key, draft.base_version, draft.bpmn, updated, platform.clock.now()),
    )
    return jsonify({"ok": True, "problems": _problems(name, form)})


@bp.post("/<key>/forms/preview")
def preview(key: str) -> str:
    """The posted form drawn by the task page's field macros (an HTML fragment), or its problems."""
    person, platform = require_owner(), current_platform()
    try:
        form = form_of(_posted_model())
    except InvalidInput as err:
        form, problems = {}, [err.message]
    else:
        problems = _problems("preview.json", form)
    fields = [] if problems else forms.fields(forms.load_form(form, name="preview.json"), language())
    with platform.store.reading() as tx:
        options = units(tx, person)
    page = PreviewPage(
        fields=fields, values={}, errors={}, attachments={}, units=options, colleagues=[], problems=problems
    )
    return render_template("models/preview.html", page=page)


def _posted_model() -> Any:
    if len(request.get_data()) > MAX_FORM_BYTES:
        raise InvalidInput(_("فرم بزرگ‌تر از اندازهٔ مجاز است."))
    body = request.get_json(silent=True)
    return body.get("model") if isinstance(body, dict) else None


def _refused(err: InvalidInput) -> Response:
    response = jsonify({"ok": False, "problems": [err.message]})
    response.status_code = err.status
    return response


def _problems(name: str, form: dict[str, Any]) -> list[str]:
    """What the deploy-time forms check (NZ021) says about ``form``: empty when it passes."""
    check = current_platform().form_check
    problem = check(name, form) if check is not None else None
    return [problem] if problem else []
