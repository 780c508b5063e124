"""The direct SQLite road of prebuilt statements (engine.store.fast) stores and reads exactly what
SQLAlchemy's road does, a stale revision on it is still a Conflict, and a failed transaction takes back
both its direct writes and its ORM writes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from engine import directory, inbox, service_tasks
from engine.errors import Conflict
from engine.store import instances
from engine.store.session import Store
from tests.support.stored import built, dump, force_sqlalchemy, only, scenario


@pytest.fixture(autouse=True)
def stamp() -> Iterator[None]:
    service_tasks.handler("test.stamp")(lambda ctx: {"letter_no": "L-1"})
    yield
    service_tasks.unregister("test.stamp")


def test_both_roads_store_the_same_rows(tmp_path: Path) -> None:
    direct, through = built(tmp_path, "direct"), built(tmp_path, "through")
    statements = force_sqlalchemy(through)
    with direct.store.transaction() as tx, through.store.transaction() as other:
        assert tx.driver is not None and other.driver is None

    scenario(direct)
    scenario(through)

    assert statements  # the second platform really went through SQLAlchemy
    assert dump(direct) == dump(through)
    assert all(v.ok for v in direct.verify_all()) and len(direct.verify_all()) == 4
    for p in (direct, through):
        p.store.dispose()


def test_both_roads_read_the_same_rows(tmp_path: Path) -> None:
    platform = built(tmp_path, "p")
    started = platform.start("review", {}, actor="ali")
    platform.complete(only(platform, "ali", started.instance_id), {"amount": 5000}, actor="ali")

    def read() -> tuple[list[tuple[Any, ...]], Any]:
        with platform.store.reading() as tx:
            mina = directory.person(tx, "mina")
            rows = inbox.list_for(tx, mina, instance_id=started.instance_id)
            return [tuple(r) for r in rows], (rows[0].due_at, rows[0].candidate_groups, tx.driver)

    direct_rows, (due, groups, road) = read()
    force_sqlalchemy(platform)
    through_rows, (due_again, groups_again, no_road) = read()

    assert road is not None and no_road is None
    assert direct_rows == through_rows and len(direct_rows) == 1
    assert due == due_again and due.tzinfo is not None and groups == groups_again == ["manager"]
    platform.store.dispose()


def test_a_stale_revision_on_the_direct_road_is_a_conflict_and_changes_nothing(tmp_path: Path) -> None:
    platform = built(tmp_path, "p")
    started = platform.start("review", {}, actor="ali")
    now = platform.clock.now()
    with platform.store.transaction() as tx:
        assert tx.driver is not None
        seen = instances.head(tx, started.instance_id)
    with platform.store.transaction() as tx:  # someone else moves the instance on meanwhile
        instances.save(tx, seen, {"last_seq": seen.last_seq}, now=now)

    with pytest.raises(Conflict, match="is stale"), platform.store.transaction() as tx:
        instances.save(tx, seen, {"status": "cancelled"}, now=now)

    after = platform.instance(started.instance_id)
    assert after["revision"] == seen.revision + 1 and after["status"] == "running"
    platform.store.dispose()


def test_a_failed_transaction_takes_back_direct_and_orm_writes(tmp_path: Path) -> None:
    platform = built(tmp_path, "p")
    started = platform.start("review", {}, actor="ali")
    before = platform.instance(started.instance_id)["revision"]

    with pytest.raises(RuntimeError), platform.store.transaction() as tx:
        head = instances.head(tx, started.instance_id)
        instances.save(tx, head, {"status": "error"}, now=platform.clock.now())  # direct road
        directory.add_user(tx, "newcomer", groups=["clerk"])  # the ORM, made on first use
        raise RuntimeError("the step failed after both")

    assert platform.instance(started.instance_id)["revision"] == before
    with platform.store.reading() as tx:
        assert directory.find_person(tx, "newcomer") is None
    platform.store.dispose()


def test_an_echoing_store_goes_through_sqlalchemy(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'echo.db'}", echo=True)
    with store.transaction() as tx:
        assert tx.driver is None
        assert tx.connection().execute(sa.text("SELECT 1")).scalar() == 1
    store.dispose()
