"""Sign-in passwords: scrypt hashes in ``users.password_hash``, set by ``run.py users passwd`` or the demo.

A hash reads ``scrypt$<n>$<r>$<p>$<salt b64>$<key b64>``: the cost parameters travel with it, so raising
them later leaves every stored hash verifiable. Only the standard library is used (``hashlib.scrypt``),
so the command line sets passwords without the web stack.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy.orm import Session

from engine.errors import InvalidInput, NotFound
from engine.persian import to_persian_digits
from engine.store.models import User

SCHEME = "scrypt"
COST = (2**15, 8, 1)  # n, r, p: Werkzeug's default for scrypt; about 0.1-0.3 s here
MAX_MEMORY = 64 * 1024 * 1024
KEY_BYTES = 32
MIN_LENGTH = 8
MAX_LENGTH = 1024  # scrypt reads the whole password; a megabyte "password" is an attack


def hash_password(password: str) -> str:
    """A new salted hash of ``password`` (refused when shorter than :data:`MIN_LENGTH`)."""
    check_policy(password)
    n, r, p = COST
    salt = secrets.token_bytes(16)
    key = _derive(password, salt, n, r, p)
    return "$".join((SCHEME, str(n), str(r), str(p), _b64(salt), _b64(key)))


def check_policy(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"رمز عبور باید دست‌کم {to_persian_digits(MIN_LENGTH)} نویسه باشد.",
            hint="choose a longer password",
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput("رمز عبور بیش از اندازه بلند است.")


def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored``; a missing or malformed hash matches nothing."""
    if not stored or not isinstance(password, str) or len(password) > MAX_LENGTH:
        return False
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return False
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, key = base64.b64decode(parts[4]), base64.b64decode(parts[5])
        return hmac.compare_digest(_derive(password, salt, n, r, p, len(key)), key)
    except ValueError:
        return False


def spend_time(password: str) -> None:
    """Do the work of one verification for a user who does not exist, so timing does not tell."""
    n, r, p = COST
    _derive(password[:MAX_LENGTH], b"\0" * 16, n, r, p)


def set_password(tx: Session, name: str, password: str) -> None:
    """Give user ``name`` a new password (their open web sessions end: the hash changed)."""
    user = tx.get(User, name)
    if user is None:
        raise NotFound(f"user '{name}' does not exist")
    user.password_hash = hash_password(password)


def fingerprint(stored: str | None) -> str:
    """A short digest of a stored hash, kept in the web session: a new password ends older sessions."""
    return hashlib.sha256((stored or "").encode()).hexdigest()[:16]


def _derive(password: str, salt: bytes, n: int, r: int, p: int, length: int = KEY_BYTES) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=MAX_MEMORY, dklen=length)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
