"""Fixtures shared by every suite: clocks, databases (SQLite and a real PostgreSQL), platforms, users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import directory
from engine.clock import FixedClock
from engine.platform import Platform
from engine.settings import from_env
from tests.support.postgres import postgres_server, postgres_url  # noqa: F401  (fixtures)

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock.at("2026-03-01T09:00:00+03:30")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nezarat.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each engine test that takes this runs on SQLite and on a real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'nezarat.db'}"
    return str(request.getfixturevalue("postgres_url"))


def make_platform(url: str, data_dir: Path, clock: FixedClock) -> Platform:
    platform = Platform.build(from_env({}, database_url=url, data_dir=str(data_dir)), clock=clock)
    platform.init_db()
    return platform


@pytest.fixture
def platform(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Platform]:
    built = make_platform(db_url, tmp_path, clock)
    with built.store.transaction() as tx:
        add_people(tx)
    yield built
    built.store.dispose()


def add_people(tx: object) -> None:
    """A small organisation: a governorate over two municipalities, people in the groups the test BPMN uses."""
    directory.add_unit(tx, "gov", title="استانداری")  # type: ignore[arg-type]
    directory.add_unit(tx, "muni-a", title="شهرداری الف", parent="gov")  # type: ignore[arg-type]
    directory.add_unit(tx, "muni-b", title="شهرداری ب", parent="gov")  # type: ignore[arg-type]
    people = [
        ("ali", ["clerk"], "muni-a"),
        ("sara", ["clerk"], "muni-a"),
        ("bahram", ["clerk"], "muni-b"),
        ("mina", ["manager"], "muni-a"),
        ("reza", ["expert"], "gov"),
        ("admin", ["admin"], "gov"),  # as in the demo organisation: admin actions (engine.admin) need one
    ]
    for name, groups, unit in people:
        directory.add_user(tx, name, groups=groups, unit=unit)  # type: ignore[arg-type]


def bundle(name: str) -> Path:
    return DATA / "bundles" / name
