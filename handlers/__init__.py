"""Service-task handlers: each module registers one ``@handler("area.name")`` function on import.

The composition roots (``run.py``, ``webui.create_app``) import this package; importing it imports every
handler module below it, so the registry is complete before any process runs. Handlers use only the
public ``engine`` API (``from engine import handler, HandlerContext, HandlerError``).
"""

from __future__ import annotations

import importlib
import pkgutil


def _load_all() -> None:
    for module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        importlib.import_module(module.name)


_load_all()
