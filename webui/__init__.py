"""Nezarat's web layer: the Flask app factory, its blueprints (home, api) and Jinja2 templates.

Owns HTTP only: every page and endpoint calls the :class:`engine.platform.Platform` facade and the
engine's public modules (never ``engine.spiff``), and errors are rendered by :mod:`webui.errors` alone.
There is no module-level app: ``create_app()`` builds one per call.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

import handlers  # noqa: F401  (importing it registers every service-task handler)
from engine import scheduler
from engine.clock import SystemClock
from engine.platform import Platform
from engine.settings import Settings, from_env
from handlers import wiring
from webui import api, errors, home
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
        MAX_CONTENT_LENGTH=platform.settings.max_bpmn_bytes + 2 * 1024 * 1024,
    )
    app.config.update(config or {})
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    attach(app, platform)
    register_blueprints(app)
    errors.init_app(app)
    if platform.settings.scheduler and not app.testing:
        app.extensions[SCHEDULER_KEY] = scheduler.start(platform.tick, platform.settings.tick_seconds)
    return app


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(home.bp)
    app.register_blueprint(api.bp)


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
