"""Every /api/v1 endpoint but the OpenAPI document needs a valid bearer token."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from engine.platform import Platform
from engine.store.models import User
from tests.webui.api_client import assert_error
from webui.auth import issue_token

PROTECTED = [
    ("get", "/api/v1/tasks"),
    ("post", "/api/v1/deployments"),
    ("post", "/api/v1/processes/api_approval/instances"),
    ("post", "/api/v1/tasks/t1/claim"),
    ("post", "/api/v1/tasks/t1/unclaim"),
    ("post", "/api/v1/tasks/t1/complete"),
    ("get", "/api/v1/instances/i1"),
    ("get", "/api/v1/instances/i1/history"),
    ("get", "/api/v1/instances/i1/verify"),
    ("post", "/api/v1/instances/i1/verify"),
    ("post", "/api/v1/instances/i1/cancel"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_a_request_without_a_token_is_401(client: FlaskClient, method: str, path: str) -> None:
    response = getattr(client, method)(path)
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-real-token", "Bearer ", "Basic YWxpOnNlY3JldA==", "bearer-token", "Token abc"],
)
def test_a_bad_token_or_scheme_is_401(client: FlaskClient, tokens: dict[str, str], header: str) -> None:
    assert_error(client.get("/api/v1/tasks", headers={"Authorization": header}), 401, "unauthorized")


def test_a_valid_token_acts_as_its_user(client: FlaskClient, tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {tokens['ali']}"})
    assert response.status_code == 200 and response.json == []


def test_the_scheme_is_case_insensitive(client: FlaskClient, tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/tasks", headers={"Authorization": f"bearer {tokens['ali']}"})
    assert response.status_code == 200


def test_a_reissued_token_revokes_the_old_one(client: FlaskClient, platform: Platform) -> None:
    old = issue_token(platform, "ali")
    new = issue_token(platform, "ali")
    assert_error(client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {old}"}), 401, "unauthorized")
    assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {new}"}).status_code == 200


def test_the_token_of_a_deactivated_user_is_401(
    client: FlaskClient, platform: Platform, tokens: dict[str, str]
) -> None:
    with platform.store.transaction() as tx:
        tx.get(User, "ali").active = False  # type: ignore[union-attr]
    response = client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {tokens['ali']}"})
    assert_error(response, 401, "unauthorized")


def test_the_openapi_document_needs_no_token(client: FlaskClient) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 200
