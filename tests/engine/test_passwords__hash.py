"""Passwords are stored as salted scrypt hashes that carry their own cost, and only the right one matches."""

from __future__ import annotations

import pytest

from engine import passwords
from engine.errors import InvalidInput, NotFound
from engine.platform import Platform
from engine.store.models import User


def test_a_hash_is_salted_and_matches_only_its_password() -> None:
    first, second = passwords.hash_password("correct horse"), passwords.hash_password("correct horse")
    assert first != second and first.startswith("scrypt$32768$8$1$")
    assert passwords.verify_password(first, "correct horse") and passwords.verify_password(
        second, "correct horse"
    )
    assert not passwords.verify_password(first, "correct horsE")


@pytest.mark.parametrize(
    "stored", [None, "", "plain", "scrypt$1$2$3", "bcrypt$a$b$c$d$e", "scrypt$x$8$1$AA==$AA=="]
)
def test_a_missing_or_malformed_hash_matches_nothing(stored: str | None) -> None:
    assert not passwords.verify_password(stored, "anything")


def test_short_and_huge_passwords_are_refused() -> None:
    with pytest.raises(InvalidInput, match="دست‌کم ۸"):
        passwords.hash_password("short")
    with pytest.raises(InvalidInput):
        passwords.hash_password("x" * 2000)
    assert not passwords.verify_password(passwords.hash_password("long enough"), "x" * 2000)


def test_set_password_changes_the_stored_hash_and_its_fingerprint(platform: Platform) -> None:
    with platform.store.transaction() as tx:
        passwords.set_password(tx, "ali", "first secret")
        before = tx.get(User, "ali").password_hash
        passwords.set_password(tx, "ali", "second secret")
        after = tx.get(User, "ali").password_hash
        with pytest.raises(NotFound):
            passwords.set_password(tx, "nobody", "whatever long")
    assert passwords.verify_password(after, "second secret") and not passwords.verify_password(
        after, "first secret"
    )
    assert passwords.fingerprint(before) != passwords.fingerprint(after)
