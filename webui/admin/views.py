"""``/admin``: users (add, edit, password, deactivate), the unit tree, absences and delegations.

Every route, GET and POST, is for members of the ``admin`` group only (403 for anyone else); POSTs carry
the CSRF token (Flask-WTF checks it before the admin check, so a forged form is a 400 either way).
A form the engine refuses (:class:`InvalidInput`) comes back with the reason as a message.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engine import directory, passwords
from engine.admin import ADMIN_GROUP
from engine.directory import Person
from engine.errors import Forbidden, InvalidInput
from engine.kpi.period import bound
from webui.accounts import require_person
from webui.admin import roster
from webui.admin.contexts import AbsencesPage, GroupsPage, UnitsPage, UserPage, UsersPage
from webui.extension import current_platform
from webui.people import Option, unit_titles

bp = Blueprint("admin", __name__, url_prefix="/admin")


def is_admin(person: Person | None) -> bool:
    """Whether ``person`` may use the admin pages (also the template global ``may_administer``)."""
    return person is not None and ADMIN_GROUP in person.groups


bp.add_app_template_global(is_admin, "may_administer")


def require_admin() -> Person:
    person = require_person()
    if not is_admin(person):
        raise Forbidden(_("این صفحه فقط برای مدیر سامانه است."))
    return person


@bp.before_request
def admins_only() -> None:
    require_admin()


def field(name: str, limit: int = 400) -> str:
    return (request.form.get(name) or "").strip()[:limit]


@bp.get("/users")
def users() -> str:
    with current_platform().store.reading() as tx:
        page = UsersPage(users=roster.users(tx), unit_titles=unit_titles(tx))
    return render_template("admin/users.html", page=page)


@bp.get("/users/new")
@bp.get("/users/<name>")
def user_form(name: str | None = None) -> str:
    with current_platform().store.reading() as tx:
        found = roster.user(tx, name) if name else None
        units = [Option(u.name, u.title or u.name) for u in roster.unit_tree(tx)]
    return render_template("admin/user.html", page=UserPage(user=found, units=units))


@bp.post("/users")
def save_user() -> Response:
    """Add a user, or change one's title, unit, email and groups (the name is the key)."""
    name = field("name", 100)
    groups = [g for g in field("groups").replace("،", ",").replace(" ", ",").split(",") if g]
    try:
        with current_platform().store.transaction() as tx:
            directory.add_user(
                tx,
                name,
                groups=groups,
                unit=field("unit", 100) or None,
                title=field("title") or None,
                email=field("email", 200) or None,
            )
    except InvalidInput as err:
        flash(err.message, "error")
        return redirect(url_for("admin.user_form"))
    flash(_("کاربر «%(name)s» ذخیره شد.", name=name), "ok")
    return redirect(url_for("admin.user_form", name=name))


@bp.post("/users/<name>/password")
def set_password(name: str) -> Response:
    try:
        with current_platform().store.transaction() as tx:
            passwords.set_password(tx, name, request.form.get("password") or "")
    except InvalidInput as err:
        flash(err.message, "error")
    else:
        flash(_("رمز عبور «%(name)s» تغییر کرد.", name=name), "ok")
    return redirect(url_for("admin.user_form", name=name))


@bp.post("/users/<name>/active")
def set_active(name: str) -> Response:
    active = request.form.get("active") == "1"
    if not active and name == require_admin().name:
        flash(_("نمی‌توانید حساب خودتان را غیرفعال کنید."), "error")
        return redirect(url_for("admin.user_form", name=name))
    with current_platform().store.transaction() as tx:
        roster.set_active(tx, name, active)
    flash(
        _("کاربر «%(name)s» فعال شد.", name=name) if active else _("کاربر «%(name)s» غیرفعال شد.", name=name),
        "ok",
    )
    return redirect(url_for("admin.users"))


@bp.get("/groups")
def groups() -> str:
    with current_platform().store.reading() as tx:
        page = GroupsPage(groups=roster.groups(tx))
    return render_template("admin/groups.html", page=page)


@bp.post("/groups")
def save_group() -> Response:
    """Add a group or retitle one: what the inbox, task and instance pages call it."""
    name = field("name", 100)
    try:
        with current_platform().store.transaction() as tx:
            directory.add_group(tx, name, title=field("title") or None, title_en=field("title_en") or None)
    except InvalidInput:  # the directory's rule for names, said in the page's words
        flash(_("نام گروه فقط حرف، رقم، «-» و «_» می‌پذیرد."), "error")
        return redirect(url_for("admin.groups"))
    flash(_("گروه «%(name)s» ذخیره شد.", name=name), "ok")
    return redirect(url_for("admin.groups"))


@bp.get("/units")
def units() -> str:
    with current_platform().store.reading() as tx:
        page = UnitsPage(units=roster.unit_tree(tx))
    return render_template("admin/units.html", page=page)


@bp.post("/units")
def add_unit() -> Response:
    name = field("name", 100)
    try:
        with current_platform().store.transaction() as tx:
            directory.add_unit(
                tx,
                name,
                title=field("title") or None,
                parent=field("parent", 100) or None,
                kind=field("kind", 40) or None,
            )
    except InvalidInput:  # the directory's rule for names, said in the page's words
        flash(_("نام واحد فقط حرف، رقم، «-» و «_» می‌پذیرد."), "error")
        return redirect(url_for("admin.units"))
    flash(_("واحد «%(name)s» ذخیره شد.", name=name), "ok")
    return redirect(url_for("admin.units"))


@bp.get("/absences")
def absences() -> str:
    with current_platform().store.reading() as tx:
        people = [Option(p.name, f"{p.title or p.name} ({p.name})") for p in directory.people(tx)]
        page = AbsencesPage(absences=roster.absences(tx), people=people)
    return render_template("admin/absences.html", page=page)


@bp.post("/absences")
def add_absence() -> Response:
    """An absence from the first day's start to the last day's end (both Jalali, the last included)."""
    try:
        starts_at, last_day = bound(field("from", 40), "from"), bound(field("to", 40), "to")
        if starts_at is None or last_day is None:
            raise InvalidInput(_("آغاز و پایان غیبت را بنویسید."))
        current_platform().add_absence(
            field("user", 100),
            delegate=field("delegate", 100),
            starts_at=starts_at,
            ends_at=last_day + dt.timedelta(days=1),
            note=field("note") or None,
        )
    except InvalidInput as err:
        flash(err.message, "error")
    else:
        flash(_("غیبت ثبت شد."), "ok")
    return redirect(url_for("admin.absences"))
