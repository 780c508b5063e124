"""The administrator's pages (``/admin``, members of the ``admin`` group only): users, units, absences and
delegations, incidents with retry, and suspend, resume, cancel and retry of an instance.

Instance actions go through :class:`engine.platform.Platform`, so each is an event in the instance's
history naming the admin. Imports the engine's public modules, never ``engine.spiff``.
"""

from __future__ import annotations

from webui.admin import actions as _actions  # noqa: F401  (registers the instance routes on bp)
from webui.admin.views import bp

__all__ = ["bp"]
