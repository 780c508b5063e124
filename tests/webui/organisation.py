"""The small organisation the web tests run in, and a Platform on a SQLite file holding it."""

from __future__ import annotations

from pathlib import Path

from engine import directory
from engine.clock import FixedClock
from engine.platform import Platform
from engine.settings import from_env

# name → (groups, unit); the api_approval bundle has a clerk lane and a manager lane.
PEOPLE = {
    "ali": (["clerk"], "muni-a"),
    "sara": (["clerk"], "muni-a"),
    "mina": (["manager"], "muni-a"),
    "reza": (["expert"], "gov"),
}


def build_platform(tmp_path: Path, clock: FixedClock, **settings: str) -> Platform:
    """A migrated Platform on ``tmp_path/t.db`` with the units and people above; ``settings`` override."""
    built = Platform.build(
        from_env({}, database_url=f"sqlite:///{tmp_path}/t.db", data_dir=str(tmp_path), **settings),
        clock=clock,
    )
    built.init_db()
    with built.store.transaction() as tx:
        directory.add_unit(tx, "gov", title="استانداری")
        directory.add_unit(tx, "muni-a", title="شهرداری الف", parent="gov")
        for name, (groups, unit) in PEOPLE.items():
            directory.add_user(tx, name, groups=groups, unit=unit)
    return built
