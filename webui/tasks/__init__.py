"""The task page: the form drawn from its JSON Schema, the case beside it, claim, refer, return, complete."""

from __future__ import annotations

from webui.tasks.views import bp

__all__ = ["bp"]
