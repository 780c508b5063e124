"""Nezarat's web layer: the Flask app factory, one blueprint per area, Jinja2 pages rendered on the server.

Areas: ``accounts`` (sign-in, language), ``inbox`` (the clerk's worklist), ``tasks`` (the task page),
``instances`` (the auditor's search, instance page and step-through), ``dashboards`` (KPI charts),
``home`` (processes), ``models`` (the process owner's modeler), ``admin`` (users, units, absences,
incidents and instance actions, for the admin group), ``vendor`` (front-end files from npm) and ``api``
(the JSON API, bearer tokens).
Owns HTTP only: every page and endpoint calls the :class:`engine.platform.Platform` facade and the
engine's public modules (never ``engine.spiff``), and errors are rendered by :mod:`webui.errors` alone.
Pages are Persian and right to left first, English on request (:mod:`webui.i18n`); every POST form
carries a CSRF token (Flask-WTF), except the token-authenticated API. There is no module-level app:
``create_app()`` builds one per call.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

import handlers  # noqa: F401  (importing it registers every service-task handler)
from engine import scheduler
from engine.clock import SystemClock
from engine.platform import Platform
from engine.settings import Settings, from_env
from handlers import wiring
from webui import (
    accounts,
    admin,
    api,
    dashboards,
    display,
    errors,
    home,
    i18n,
    inbox,
    instances,
    models,
    tasks,
    vendor,
)
from webui.extension import attach

logger = logging.getLogger(__name__)

SCHEDULER_KEY = "nezarat.scheduler"


def create_app(config: dict[str, Any] | None = None, *, platform: Platform | None = None) -> Flask:
    """Build the app on ``platform`` (default: built from the environment); ``config`` updates Flask's."""
    if platform is None:
        settings, clock = from_env(), SystemClock()
        platform = Platform.build(settings, clock=clock, **wiring.platform_parts(settings, clock))
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key(platform.settings),
        # The larger of a BPMN upload and a form's attachments (10 MiB each), plus form fields.
        MAX_CONTENT_LENGTH=max(platform.settings.max_bpmn_bytes, 10 * 1024 * 1024) + 2 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=10),  # one working day, then sign in again
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session: a long form stays sendable
    )
    app.config.update(config or {})
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    attach(app, platform)
    i18n.init_app(app)
    display.init_app(app)
    register_blueprints(app)
    csrf = CSRFProtect(app)
    csrf.exempt(api.bp)  # bearer tokens, not cookies: a foreign page cannot send them
    errors.init_app(app)
    if platform.settings.scheduler and not app.testing:
        app.extensions[SCHEDULER_KEY] = scheduler.start(platform.tick, platform.settings.tick_seconds)
    return app


def register_blueprints(app: Flask) -> None:
    for blueprint in (
        accounts.bp,
        inbox.bp,
        tasks.bp,
        instances.bp,
        dashboards.bp,
        home.bp,
        models.bp,
        admin.bp,
        vendor.bp,
        api.bp,
    ):
        app.register_blueprint(blueprint)


def secret_key(settings: Settings) -> str:
    """``NEZARAT_SECRET_KEY``, or one generated once into ``DATA_DIR/secret_key`` (mode 0600)."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret_key"
    if not path.exists():
        _write_once(path, secrets.token_hex(32))
    return path.read_text().strip()


def _write_once(path: Path, text: str) -> None:
    """Write ``path`` (mode 0600) unless it exists; atomic, so concurrent workers agree on one key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass  # another worker wrote it first; use theirs
    finally:
        draft.unlink()
