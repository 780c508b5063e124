"""The home page (deployed processes at a glance) and ``/healthz``."""

from __future__ import annotations

from webui.home.views import bp

__all__ = ["bp"]
