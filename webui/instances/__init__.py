"""The auditor's instance pages: search the instances a person may see, and open one to read its diagram,
its history event by event (the data and the marks as they were at each event) and verify its chain."""

from __future__ import annotations

from webui.instances.views import bp

__all__ = ["bp"]
