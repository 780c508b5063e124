"""API tokens: random, stored only as a sha256, one per user."""

from __future__ import annotations

import hashlib

import pytest

from engine.errors import NotFound, Unauthorized
from engine.platform import Platform
from engine.store.models import User
from webui import auth


def stored_hash(platform: Platform, user: str) -> str | None:
    with platform.store.reading() as tx:
        row = tx.get(User, user)
        assert row is not None
        return row.token_hash


def test_issue_token_stores_only_its_sha256(platform: Platform) -> None:
    token = auth.issue_token(platform, "ali")
    assert len(token) >= 43
    assert stored_hash(platform, "ali") == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (stored_hash(platform, "ali") or "")


def test_tokens_differ_between_issues_and_users(platform: Platform) -> None:
    tokens = {
        auth.issue_token(platform, "ali"),
        auth.issue_token(platform, "ali"),
        auth.issue_token(platform, "sara"),
    }
    assert len(tokens) == 3


def test_user_for_token_returns_the_person_with_groups_and_unit(platform: Platform) -> None:
    person = auth.user_for_token(platform, auth.issue_token(platform, "mina"))
    assert (person.name, person.groups, person.unit) == ("mina", frozenset({"manager"}), "muni-a")


def test_an_unknown_token_is_unauthorized(platform: Platform) -> None:
    auth.issue_token(platform, "ali")
    with pytest.raises(Unauthorized):
        auth.user_for_token(platform, "x" * 43)


def test_a_revoked_token_is_unauthorized(platform: Platform) -> None:
    token = auth.issue_token(platform, "ali")
    auth.revoke_token(platform, "ali")
    assert stored_hash(platform, "ali") is None
    with pytest.raises(Unauthorized):
        auth.user_for_token(platform, token)


def test_a_token_for_an_unknown_user_is_not_issued(platform: Platform) -> None:
    with pytest.raises(NotFound):
        auth.issue_token(platform, "nobody")


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer   ", "Basic abc"])
def test_user_for_header_refuses_a_missing_or_malformed_header(
    platform: Platform, header: str | None
) -> None:
    with pytest.raises(Unauthorized):
        auth.user_for_header(platform, header)
