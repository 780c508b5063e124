"""Web fixtures: a Platform on a real SQLite file, the app and its test client, users with API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from engine import directory
from engine.clock import FixedClock
from engine.platform import Platform
from engine.settings import from_env
from webui import create_app
from webui.auth import issue_token

BUNDLES = Path(__file__).resolve().parents[1] / "data" / "bundles"
APPROVAL = BUNDLES / "api_approval"

# name → (groups, unit)
PEOPLE = {
    "ali": (["clerk"], "muni-a"),
    "sara": (["clerk"], "muni-a"),
    "mina": (["manager"], "muni-a"),
    "reza": (["expert"], "gov"),
}


def build_platform(tmp_path: Path, clock: FixedClock, **settings: str) -> Platform:
    built = Platform.build(
        from_env({}, database_url=f"sqlite:///{tmp_path}/t.db", data_dir=str(tmp_path), **settings),
        clock=clock,
    )
    built.init_db()
    return built


@pytest.fixture
def platform(tmp_path: Path, clock: FixedClock) -> Iterator[Platform]:
    """SQLite only (overrides the engine suite's SQLite + PostgreSQL fixture): the web adds no SQL of note."""
    built = build_platform(tmp_path, clock)
    with built.store.transaction() as tx:
        directory.add_unit(tx, "gov", title="استانداری")
        directory.add_unit(tx, "muni-a", title="شهرداری الف", parent="gov")
        for name, (groups, unit) in PEOPLE.items():
            directory.add_user(tx, name, groups=groups, unit=unit)
    yield built
    built.store.dispose()


@pytest.fixture
def app(platform: Platform) -> Flask:
    return create_app({"TESTING": True}, platform=platform)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def tokens(platform: Platform) -> dict[str, str]:
    return {name: issue_token(platform, name) for name in PEOPLE}


class Api:
    """The test client speaking JSON as one user: ``api.as_("ali").post("/tasks/…/claim")``."""

    def __init__(self, client: FlaskClient, tokens: dict[str, str], user: str | None = None) -> None:
        self.client, self.tokens, self.user = client, tokens, user

    def as_(self, user: str) -> Api:
        return Api(self.client, self.tokens, user)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[self.user]}"} if self.user else {}

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get("/api/v1" + path, headers=self.headers(), **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.client.post("/api/v1" + path, json=json, headers=self.headers(), **kwargs)


@pytest.fixture
def api(client: FlaskClient, tokens: dict[str, str]) -> Api:
    return Api(client, tokens)


def upload(bundle: Path) -> dict[str, Any]:
    """Multipart fields for POST /deployments from a bundle folder."""
    forms = [((p.open("rb")), p.name) for p in sorted((bundle / "forms").glob("*.json"))]
    return {"file": ((bundle / "process.bpmn").open("rb"), "process.bpmn"), "forms": forms}


@pytest.fixture
def deployed(platform: Platform) -> str:
    [version] = platform.deploy(APPROVAL, actor="ali")
    return version.process_key


@pytest.fixture
def started(api: Api, deployed: str) -> str:
    response = api.as_("ali").post(f"/processes/{deployed}/instances", json={"data": {"amount": 10}})
    assert response.status_code == 201, response.json
    instance_id: str = response.json["instance_id"]
    return instance_id


def only_task(api: Api, user: str, instance_id: str) -> dict[str, Any]:
    response = api.as_(user).get("/tasks", query_string={"instance": instance_id})
    assert response.status_code == 200, response.json
    [task] = response.json
    return dict(task)


def assert_error(response: TestResponse, status: int, code: str) -> dict[str, Any]:
    """The response is the one JSON error shape with this status and code."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = dict(response.json)
    assert {"ok", "code", "error", "status"} <= set(body)
    assert (body["ok"], body["code"], body["status"]) == (False, code, status)
    assert isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body
