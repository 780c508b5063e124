"""``/signin``, ``/signout`` and ``/language``: every POST carries the CSRF token (Flask-WTF)."""

from __future__ import annotations

import math

from flask import Blueprint, Response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from engine import passwords
from engine.persian import to_persian_digits
from engine.store.models import User
from webui.accounts import identity, throttle
from webui.accounts.contexts import SignInPage
from webui.extension import current_platform
from webui.i18n import LANGUAGES, language
from webui.navigation import local_path

bp = Blueprint("accounts", __name__)


@bp.get("/signin")
def signin_page() -> str:
    page = SignInPage(next=local_path(request.args.get("next"), url_for("inbox.index")))
    return render_template("accounts/signin.html", page=page)


@bp.post("/signin")
def signin() -> Response | tuple[str, int]:
    name = request.form.get("user_name", "").strip()[:100]
    password = request.form.get("password", "")
    target = local_path(request.form.get("next"), url_for("inbox.index"))
    platform, address = current_platform(), request.remote_addr or "-"
    now = platform.clock.now()
    wait = throttle.blocked_for(platform.store, name, address, now)
    if wait is not None:
        minutes = str(math.ceil(wait.total_seconds() / 60))
        minutes = to_persian_digits(minutes) if language() == "fa" else minutes
        error = _("ورودهای ناموفق بسیار بود؛ %(minutes)s دقیقهٔ دیگر دوباره امتحان کنید.", minutes=minutes)
        return _refused(target, name, error, 429)
    stored = _password_hash(name)
    if stored is None:
        passwords.spend_time(password)
    if stored is None or not passwords.verify_password(stored, password):
        throttle.record_failure(platform.store, name, address, now)
        return _refused(target, name, _("نام کاربری یا رمز عبور درست نیست."), 200)
    throttle.clear(platform.store, name, address)
    identity.start_session(name, stored)
    return redirect(target)


def _password_hash(name: str) -> str | None:
    """The stored hash of an active user, or None (no such user, inactive, or no password yet)."""
    with current_platform().store.reading() as tx:
        row = tx.get(User, name) if name else None
        return row.password_hash if row is not None and row.active else None


def _refused(target: str, name: str, error: str, status: int) -> tuple[str, int]:
    page = SignInPage(next=target, user_name=name, error=error)
    return render_template("accounts/signin.html", page=page), status


@bp.post("/signout")
def signout() -> Response:
    identity.end_session()
    return redirect(url_for("accounts.signin_page"))


@bp.post("/language")
def switch_language() -> Response:
    chosen = request.form.get("lang", "")
    if chosen in LANGUAGES:
        session["lang"] = chosen
    return redirect(local_path(request.form.get("next"), url_for("inbox.index")))
