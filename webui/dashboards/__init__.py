"""The dashboards: KPIs per org unit and per process (SLA compliance, open and overdue work) and seed
001's supervision ratios, as bar charts drawn on the server (SVG) with their numbers in tables beside."""

from __future__ import annotations

from webui.dashboards.views import bp

__all__ = ["bp"]
