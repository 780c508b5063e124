"""Signing in and out, the signed-in person of each request, and the language switch."""

from __future__ import annotations

from webui.accounts.identity import require_person
from webui.accounts.views import bp

__all__ = ["bp", "require_person"]
