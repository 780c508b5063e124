"""``/models``: the process owner's list of processes and versions, creating a new process, and the diff
between two versions. Every page of the area first checks the owner group (:mod:`webui.models.owners`)."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.definitions.diff import diff
from engine.errors import Conflict, InvalidInput
from webui.extension import current_platform
from webui.models import drafts, versions
from webui.models.blank import blank_diagram, checked_key
from webui.models.contexts import DiffPage, ModelsPage
from webui.models.owners import is_owner, require_owner

bp = Blueprint("models", __name__, url_prefix="/models")
bp.add_app_template_global(is_owner, "may_model")


@bp.before_request
def owners_only() -> None:
    require_owner()


@bp.get("")
def index() -> str:
    person, store = require_owner(), current_platform().store
    page = ModelsPage(models=versions.models(store), drafts=drafts.of_owner(store, person.name))
    return render_template("models/list.html", page=page)


@bp.post("/new")
def new() -> Response:
    """A draft of a new process from the blank diagram; the key must not be deployed or drafted yet."""
    person, platform = require_owner(), current_platform()
    key = checked_key(request.form.get("process_key", ""))
    if versions.numbers(platform.store, key) or drafts.load(platform.store, person.name, key):
        raise Conflict(_("فرایند «%(key)s» پیش‌تر ساخته شده است؛ آن را از فهرست فرایندها باز کنید.", key=key))
    xml = blank_diagram(key, request.form.get("name", "")[:200])
    draft = drafts.Draft(key, None, xml, {}, platform.clock.now())
    drafts.save(platform.store, person.name, draft)
    return redirect(url_for("models.modeler", key=key))


@bp.get("/<key>/diff")
def version_diff(key: str) -> str:
    store = current_platform().store
    numbers = versions.numbers(store, key)
    after = _number(request.args.get("to"), numbers[-1] if numbers else 0)
    before = _number(request.args.get("from"), max(1, after - 1))
    old, new = versions.stored(store, key, before), versions.stored(store, key, after)
    found = diff(old.bpmn.encode("utf-8"), new.bpmn.encode("utf-8"))
    page = DiffPage(process_key=key, versions=numbers, before=before, after=after, diff=found)
    return render_template("models/diff.html", page=page)


def _number(raw: str | None, default: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise InvalidInput(_("شمارهٔ نسخه باید عدد باشد."))
    return int(raw)
