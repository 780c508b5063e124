"""``/vendor/<file>``: the front-end files installed from npm (``make assets``), served from ``node_modules``.

Nothing is loaded from another host and nothing built is committed: the exact versions are pinned by
``package-lock.json``. Only the files listed in :data:`FILES` are served, never the rest of
``node_modules``. The folder is ``NEZARAT_NODE_MODULES`` in the app config (default: beside the code).
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint, Response, current_app, send_from_directory

from engine.errors import NotFound

logger = logging.getLogger(__name__)

bp = Blueprint("vendor", __name__, url_prefix="/vendor")

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
FONT = "vazirmatn/fonts/webfonts/Vazirmatn-{}.woff2"
FILES = frozenset(
    {
        FONT.format("Regular"),
        FONT.format("Medium"),
        FONT.format("Bold"),
        "vazirmatn/OFL.txt",
        "bpmn-js/LICENSE",
        "bpmn-js/dist/bpmn-navigated-viewer.production.min.js",
        "bpmn-js/dist/bpmn-modeler.production.min.js",
        "bpmn-js/dist/assets/diagram-js.css",
        "bpmn-js/dist/assets/bpmn-js.css",
        "bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css",
        "bpmn-js-properties-panel/dist/bpmn-js-properties-panel.umd.js",
        "@bpmn-io/properties-panel/dist/assets/properties-panel.css",
        "camunda-bpmn-moddle/resources/camunda.json",
    }
)
MAX_AGE = 24 * 3600  # versioned by the lock file; a day keeps pages fast and upgrades visible


def folder() -> Path:
    return Path(current_app.config.get("NEZARAT_NODE_MODULES") or NODE_MODULES)


@bp.get("/<path:name>")
def asset(name: str) -> Response:
    if name not in FILES:
        raise NotFound(f"/vendor/{name} is not one of the served front-end files")
    if not (folder() / name).is_file():
        logger.error("front-end file %s is missing: run `make assets` (npm ci)", name)
        raise NotFound(f"/vendor/{name} is not installed", hint="run `make assets` (npm ci)")
    return send_from_directory(folder(), name, max_age=MAX_AGE)


def missing() -> list[str]:
    """The served files that are not installed (empty after ``make assets``)."""
    return sorted(name for name in FILES if not (folder() / name).is_file())
