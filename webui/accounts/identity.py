"""Who is signed in: the Flask session holds the user's name and a fingerprint of their password hash.

Every page asks :func:`require_person`, which reads the user again: a deactivated user or a changed
password ends the session at the next request. Unauthorized becomes a redirect to the sign-in page
(:mod:`webui.errors`).
"""

from __future__ import annotations

from flask import g, session
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from engine import directory, passwords
from engine.directory import Person
from engine.errors import Unauthorized
from engine.store.fast import Prepared
from engine.store.models import User
from webui.extension import current_platform

USER_KEY = "user"
# Read on every request: prepared once (engine.store.fast), not through the ORM.
_CREDENTIAL = Prepared(select(User.active, User.password_hash).where(User.name == bindparam("name")))
FINGERPRINT_KEY = "pw"


def require_person() -> Person:
    """The signed-in person (cached for the request), or Unauthorized."""
    found: Person | None = g.get("person")
    if found is not None:
        return found
    name = session.get(USER_KEY)
    if not name:
        raise Unauthorized(_("برای دیدن این صفحه نخست وارد شوید."))
    with current_platform().store.reading() as tx:
        row = _CREDENTIAL.first(tx, {"name": name})
        current = row is not None and row.active and row.password_hash is not None
        if not current or passwords.fingerprint(row.password_hash) != session.get(FINGERPRINT_KEY):
            session.pop(USER_KEY, None)
            raise Unauthorized(_("نشست شما پایان یافته است؛ دوباره وارد شوید."))
        person = directory.person(tx, name)
    g.person = person
    return person


def start_session(name: str, password_hash: str) -> None:
    """A fresh session for ``name`` (the old one's contents are dropped, keeping only the language)."""
    lang = session.get("lang")
    session.clear()
    session.permanent = True
    session[USER_KEY] = name
    session[FINGERPRINT_KEY] = passwords.fingerprint(password_hash)
    if lang:
        session["lang"] = lang


def end_session() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
