"""Web fixtures: a Platform on a real SQLite file, the app and its test client, users with API tokens."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.clock import FixedClock
from engine.platform import Platform
from engine.settings import from_env
from handlers import wiring
from tests.webui.api_client import APPROVAL, Api
from tests.webui.demo_site import NOW, Seeded, demo_platform, seed
from tests.webui.organisation import PEOPLE, build_platform
from tests.webui.pages import Pages
from webui import create_app
from webui.auth import issue_token
from webui.i18n import compile_catalogs


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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    """Built once per worker: the demo database file with budget_oversight and audit_review deployed and
    the cases of ``seed``; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("demo-template")
    clock = FixedClock.at(NOW)
    built = demo_platform(folder, clock, bundles=("budget_oversight", "audit_review"))
    seeded = seed(built, clock)
    built.store.dispose()  # the last connection's close checkpoints the WAL into the file
    return folder / "site.db", seeded


@pytest.fixture
def demo(
    tmp_path: Path, clock: FixedClock, demo_template: tuple[Path, Seeded]
) -> Iterator[tuple[Platform, Seeded]]:
    """A copy of the demo database (fresh per test) on a Platform with the test's clock."""
    template, seeded = demo_template
    shutil.copyfile(template, tmp_path / "site.db")
    settings = from_env(
        {}, database_url=f"sqlite:///{tmp_path}/site.db", data_dir=str(tmp_path), scheduler="off"
    )
    built = Platform.build(settings, clock=clock, **wiring.platform_parts(settings, clock))
    yield built, seeded
    built.store.dispose()


@pytest.fixture
def demo_app(demo: tuple[Platform, Seeded]) -> Flask:
    compile_catalogs()
    return create_app({"TESTING": True}, platform=demo[0])


@pytest.fixture
def pages(demo_app: Flask) -> Callable[[], Pages]:
    """A new browser session on the demo site per call: ``clerk = pages(); clerk.sign_in("expert_1")``."""
    return lambda: Pages(demo_app.test_client())


@pytest.fixture
def mayor(pages: Callable[[], Pages]) -> Callable[[str], Pages]:
    """A new session on the demo site signed in as the named user: ``mayor("mayor_b")``."""

    def signed_in(name: str) -> Pages:
        clerk = pages()
        clerk.sign_in(name)
        return clerk

    return signed_in
