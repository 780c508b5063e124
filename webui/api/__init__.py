"""The JSON API under ``/api/v1``: token-authenticated, the same :class:`Platform` calls as the CLI and pages.

Its OpenAPI 3.1 description is served at ``/api/v1/openapi.json`` (built in :mod:`webui.api.openapi`).
"""

from __future__ import annotations

from webui.api.views import bp

__all__ = ["bp"]
