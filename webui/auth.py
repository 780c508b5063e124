"""API tokens: ``Authorization: Bearer <token>``; only the token's sha256 is stored (``users.token_hash``).

A user holds at most one token: issuing a new one revokes the old. A token of an inactive user no longer
authenticates.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from engine import directory
from engine.directory import Person
from engine.errors import NotFound, Unauthorized
from engine.platform import Platform
from engine.store.models import User

SCHEME = "Bearer"


def issue_token(platform: Platform, user: str) -> str:
    """A new token for ``user`` (replacing any earlier one); the caller shows it once, it is not kept."""
    token = secrets.token_urlsafe(32)
    with platform.store.transaction() as tx:
        row = tx.get(User, user)
        if row is None or not row.active:
            raise NotFound(f"user '{user}' does not exist")
        row.token_hash = token_hash(token)
    return token


def revoke_token(platform: Platform, user: str) -> None:
    with platform.store.transaction() as tx:
        row = tx.get(User, user)
        if row is not None:
            row.token_hash = None


def user_for_token(platform: Platform, token: str) -> Person:
    """The active user holding ``token``; Unauthorized for an unknown or revoked token."""
    with platform.store.reading() as tx:
        name = tx.scalar(select(User.name).where(User.token_hash == token_hash(token), User.active))
        if name is None:
            raise Unauthorized("the API token is not valid", hint="ask an administrator for a new token")
        return directory.person(tx, name)


def user_for_header(platform: Platform, header: str | None) -> Person:
    """The user of an ``Authorization: Bearer <token>`` header value."""
    if not header:
        raise Unauthorized("this endpoint needs an API token", hint="send 'Authorization: Bearer <token>'")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != SCHEME.lower() or not token.strip():
        raise Unauthorized("the Authorization header must read 'Bearer <token>'")
    return user_for_token(platform, token.strip())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
