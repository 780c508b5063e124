"""The modeler: ``/models/<key>/modeler`` (bpmn-js with the Camunda properties panel), saving the draft,
checking it with the engine's lint, deploying it, discarding it.

Save and check take JSON (``{"xml": …, "base_version": …}``) from ``static/models/modeler.js`` with the
CSRF token in the ``X-CSRFToken`` header; check saves first, then answers the diagnostics. Deploy is a
plain form post: the draft goes through :meth:`Platform.deploy_bundle`, the path ``run.py deploy`` takes,
so the same lint and form checks apply and the version is numbered and hashed the same way. A refused
deploy stores nothing and shows the page again with its diagnostics on the diagram.
"""

from __future__ import annotations

from typing import Any

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.definitions.bundle import Bundle
from engine.definitions.deploy import diagnostics_of
from engine.definitions.diagnostics import Diagnostic
from engine.directory import Person
from engine.errors import DefinitionError, InvalidInput, NotFound
from engine.persian import to_persian_digits
from engine.platform import Platform
from webui.extension import current_platform
from webui.i18n import language
from webui.models import drafts, versions
from webui.models.contexts import ModelerPage
from webui.models.owners import require_owner
from webui.models.views import bp

CAMUNDA_MODDLE = "camunda-bpmn-moddle/resources/camunda.json"


@bp.get("/<key>/modeler")
def modeler(key: str) -> str:
    version = request.args.get("version", "")
    number = int(version) if version.isdigit() else None
    return render_template("models/modeler.html", page=modeler_page(key, number))


def modeler_page(key: str, number: int | None = None, found: list[Diagnostic] | None = None,
                 problem: str | None = None) -> ModelerPage:  # fmt: skip
    """The draft of ``key`` (or version ``number`` when asked, or the newest version when no draft)."""
    person, store = require_owner(), current_platform().store
    draft, numbers = drafts.load(store, person.name, key), versions.numbers(store, key)
    if draft is None and not numbers:
        raise NotFound(_("فرایند «%(key)s» نه مستقر شده است و نه پیش‌نویسی دارد.", key=key))
    if draft is not None and number is None:
        xml, base, forms = draft.bpmn, draft.base_version, draft.forms
    else:
        stored = versions.stored(store, key, number)
        xml, base, forms = stored.bpmn, stored.version, stored.forms
    name = versions.stored(store, key).name if numbers else None
    return ModelerPage(
        process_key=key,
        process_name=name,
        base_version=base,
        versions=numbers,
        draft_saved_at=draft.saved_at if draft is not None else None,
        form_names=sorted(forms),
        problem=problem,
        config=_config(key, xml, base, found or []),
    )


def _config(key: str, xml: str, base: int | None, found: list[Diagnostic]) -> dict[str, Any]:
    return {
        "xml": xml,
        "baseVersion": base,
        "diagnostics": [d.to_dict() for d in found],
        "camunda": url_for("vendor.asset", name=CAMUNDA_MODDLE),
        "saveUrl": url_for("models.save_draft", key=key),
        "checkUrl": url_for("models.check", key=key),
        "lang": language(),
        "text": {
            "saved": _("پیش‌نویس ذخیره شد."),
            "failed": _("انجام نشد؛ دوباره امتحان کنید."),
            "clean": _("ایرادی پیدا نشد."),
            "summary": _("خطا: %(errors)s — هشدار: %(warnings)s"),
            "notOnDiagram": _("(بیرون از نمودار)"),
        },
    }


@bp.post("/<key>/draft")
def save_draft(key: str) -> Response:
    person, platform = require_owner(), current_platform()
    draft = _save_posted(platform, person, key)
    return jsonify({"ok": True, "saved_at": draft.saved_at.isoformat()})


@bp.post("/<key>/check")
def check(key: str) -> Response:
    """Save the posted diagram as the draft, then lint it as a deploy would; 200 with the diagnostics."""
    person, platform = require_owner(), current_platform()
    draft = _save_posted(platform, person, key)
    found = platform.check_bundle(bundle_of(platform, key, draft))
    return jsonify(
        {
            "ok": True,
            "diagnostics": [d.to_dict() for d in found],
            "errors": sum(d.severity == "error" for d in found),
            "warnings": sum(d.severity == "warning" for d in found),
        }
    )


def _save_posted(platform: Platform, person: Person, key: str) -> drafts.Draft:
    body = request.get_json(silent=True)
    xml = body.get("xml") if isinstance(body, dict) else None
    if not isinstance(xml, str) or not xml.strip():
        raise InvalidInput('send the diagram as JSON: {"xml": "<bpmn:definitions …>"}')
    if len(xml.encode("utf-8")) > platform.settings.max_bpmn_bytes:
        raise InvalidInput(_("نمودار بزرگ‌تر از اندازهٔ مجاز است."))
    earlier = drafts.load(platform.store, person.name, key)
    if earlier is not None:
        base, forms = earlier.base_version, earlier.forms
    else:
        stored = versions.stored(platform.store, key)  # a new process always has its draft already
        base, forms = stored.version, stored.forms
    draft = drafts.Draft(key, base, xml, forms, platform.clock.now())
    drafts.save(platform.store, person.name, draft)
    return draft


def bundle_of(platform: Platform, key: str, draft: drafts.Draft) -> Bundle:
    """The draft as a bundle: its diagram and forms, with the decision tables of the version it came from."""
    dmn = versions.stored(platform.store, key, draft.base_version).dmn if draft.base_version else []
    return Bundle(
        source_name=f"{key}/process.bpmn",
        bpmn=draft.bpmn.encode("utf-8"),
        forms=dict(draft.forms),
        dmn=tuple(d.encode("utf-8") for d in dmn),
    )


@bp.post("/<key>/deploy")
def deploy(key: str) -> Response | str:
    person, platform = require_owner(), current_platform()
    draft = drafts.load(platform.store, person.name, key)
    if draft is None:
        raise NotFound(_("پیش‌نویسی برای استقرار نیست؛ نخست نمودار را ذخیره کنید."))
    try:
        deployed = platform.deploy_bundle(bundle_of(platform, key, draft), actor=person.name)
    except DefinitionError as err:
        problem = _("استقرار پذیرفته نشد؛ ایرادهای زیر را برطرف کنید.")
        page = modeler_page(key, found=diagnostics_of(err), problem=problem)
        return render_template("models/modeler.html", page=page)
    drafts.drop(platform.store, person.name, key)
    for done in deployed:
        number = to_persian_digits(done.version) if language() == "fa" else str(done.version)
        if done.created:
            flash(_("نسخهٔ %(n)s فرایند %(key)s مستقر شد.", n=number, key=done.process_key), "ok")
        else:
            flash(_("تغییری نبود؛ فرایند %(key)s همان نسخهٔ %(n)s است.", n=number, key=done.process_key), "ok")
    return redirect(url_for("models.index", _anchor=f"p-{key}"))


@bp.post("/<key>/discard")
def discard(key: str) -> Response:
    person, platform = require_owner(), current_platform()
    drafts.drop(platform.store, person.name, key)
    flash(_("پیش‌نویس کنار گذاشته شد."), "ok")
    if versions.numbers(platform.store, key):
        return redirect(url_for("models.modeler", key=key))
    return redirect(url_for("models.index"))
