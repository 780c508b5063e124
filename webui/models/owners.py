"""Who may work on the process models: members of the ``process_owner`` group, and ``admin``.

Everyone else gets 403 from every page and endpoint of the area (rendered by :mod:`webui.errors`).
"""

from __future__ import annotations

from flask_babel import gettext as _

from engine.directory import Person
from engine.errors import Forbidden
from webui.accounts import require_person

OWNER_GROUPS = frozenset({"process_owner", "admin"})


def is_owner(person: Person | None) -> bool:
    """Whether ``person`` may use the modeler (also the template global ``may_model``, for the menu)."""
    return person is not None and bool(person.groups & OWNER_GROUPS)


def require_owner() -> Person:
    """The signed-in person if they own process models, else Forbidden."""
    person = require_person()
    if not is_owner(person):
        raise Forbidden(_("طراحی و استقرار فرایندها فقط برای مالکان فرایند (گروه process_owner) است."))
    return person
