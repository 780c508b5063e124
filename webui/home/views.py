"""``GET /`` lists the deployed processes; ``GET /healthz`` answers ``{"ok": true}`` for load balancers."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template

from webui.extension import current_platform
from webui.home.contexts import HomePage
from webui.home.processes import summaries

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    page = HomePage(processes=summaries(current_platform().store))
    return render_template("home/index.html", page=page)


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify({"ok": True})
