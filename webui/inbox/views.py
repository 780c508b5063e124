"""``/inbox``: the list (GET), bulk claim and refer, saved filters (POST, CSRF-checked) and the CSV export.

Every query starts from the signed-in person's visibility; a bulk action runs one Platform call per
task as that person, so the engine's rules decide each one and a refusal names the task.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.errors import NezaratError
from engine.persian import to_persian_digits
from webui.accounts import require_person
from webui.extension import current_platform
from webui.i18n import language
from webui.inbox import export, query, saved
from webui.inbox.contexts import InboxPage
from webui.inbox.filters import InboxFilters
from webui.navigation import local_path
from webui.people import Option, colleagues, unit_titles, units

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
MAX_BULK = 200


@bp.before_request
def signed_in() -> None:
    require_person()


@bp.get("")
def index() -> str:
    person, platform = require_person(), current_platform()
    filters = InboxFilters.from_args(request.args)
    found = query.listing(platform, person, filters)
    with platform.store.reading() as tx:
        names = query.process_names(tx)
        page = InboxPage(
            filters=filters,
            tasks=found.tasks,
            total=found.total,
            pages=max(1, math.ceil(found.total / filters.size)),
            tabs=found.tabs,
            processes=[Option(key, name or key) for key, name in sorted(names.items())],
            units=units(tx, person),
            unit_titles=unit_titles(tx),
            process_titles={key: name or key for key, name in names.items()},
            saved=saved.of_user(platform.store, person.name),
            colleagues=colleagues(tx, person),
        )
    return render_template("inbox/list.html", page=page)


@bp.get("/export.csv")
def export_csv() -> Response:
    person, platform = require_person(), current_platform()
    tasks = query.matching(platform, person, InboxFilters.from_args(request.args))
    with platform.store.reading() as tx:
        text = export.csv_text(
            tasks, processes=query.process_names(tx), units=unit_titles(tx), lang=language()
        )
    response = Response(text.encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="nezarat-inbox.csv"'
    return response


@bp.post("/claim")
def bulk_claim() -> Response:
    person, platform = require_person(), current_platform()
    _each(_selected(), lambda task_id: platform.claim(task_id, actor=person.name), _("کار برداشته شد"))
    return _back()


@bp.post("/refer")
def bulk_refer() -> Response:
    person, platform = require_person(), current_platform()
    ids, to_user = _selected(), request.form.get("to_user", "").strip()
    if not to_user:
        flash(_("کسی را برای ارجاع برگزینید."), "error")
        return _back()
    note = request.form.get("note") or None

    def refer(task_id: str) -> None:
        platform.refer(task_id, actor=person.name, to_user=to_user, note=note)

    _each(ids, refer, _("کار ارجاع شد"))
    return _back()


def _each(ids: list[str], act: Callable[[str], object], done: str) -> None:
    """One bulk action: ``act`` on each selected task, each refusal reported by its task, the rest done."""
    failures = []
    for task_id in ids:
        try:
            act(task_id)
        except NezaratError as err:
            failures.append(f"{task_id[:8]}: {err.message}")
    _report(len(ids) - len(failures), failures, done)


@bp.post("/filters")
def save_filter() -> Response:
    person, platform = require_person(), current_platform()
    filters = InboxFilters.from_args(request.form)
    saved.save(platform.store, person.name, request.form.get("name", ""), filters.query_string(page=1),
               platform.clock.now())  # fmt: skip
    flash(_("فیلتر ذخیره شد."), "ok")
    return redirect(url_for("inbox.index", **filters.args(page=1)))


@bp.post("/filters/<int:filter_id>/delete")
def delete_filter(filter_id: int) -> Response:
    saved.remove(current_platform().store, require_person().name, filter_id)
    flash(_("فیلتر پاک شد."), "ok")
    return _back()


def _selected() -> list[str]:
    ids = list(dict.fromkeys(request.form.getlist("task")))[:MAX_BULK]
    if not ids:
        flash(_("هیچ کاری برگزیده نشده است."), "error")
    return ids


def _report(done: int, failures: list[str], what: str) -> None:
    if done:
        count = to_persian_digits(done) if language() == "fa" else str(done)
        flash(_("%(what)s: %(count)s مورد.", what=what, count=count), "ok")
    for failure in failures:
        flash(failure, "error")


def _back() -> Response:
    return redirect(local_path(request.form.get("back"), url_for("inbox.index")))
