"""Web fixtures: a Platform on a real SQLite file, the app and its test client, users with API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.clock import FixedClock
from engine.platform import Platform
from tests.webui.api_client import APPROVAL, Api
from tests.webui.organisation import PEOPLE, build_platform
from webui import create_app
from webui.auth import issue_token


@pytest.fixture
def platform(tmp_path: Path, clock: FixedClock) -> Iterator[Platform]:
    """SQLite only (overrides the engine suite's SQLite + PostgreSQL fixture): the web adds no SQL of note."""
    built = build_platform(tmp_path, clock)
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


@pytest.fixture
def api(client: FlaskClient, tokens: dict[str, str]) -> Api:
    return Api(client, tokens)


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
