"""``GET /`` sends people to their inbox (or to sign in); ``GET /processes`` lists the deployed processes
with the running instances the user may see; ``GET /healthz`` answers ``{"ok": true}`` for load balancers."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, render_template, session, url_for

from webui.accounts import require_person
from webui.accounts.identity import USER_KEY
from webui.extension import current_platform
from webui.home.contexts import HomePage
from webui.home.processes import summaries

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> Response:
    target = "inbox.index" if session.get(USER_KEY) else "accounts.signin_page"
    return redirect(url_for(target))


@bp.get("/processes")
def processes() -> str:
    person = require_person()
    page = HomePage(processes=summaries(current_platform().store, person))
    return render_template("home/index.html", page=page)


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify({"ok": True})
