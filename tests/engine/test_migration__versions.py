"""An administrator migrates an instance to another deployed version of its process: the open task keeps
its id, data and running timer, the next steps follow the new version's diagram, and a ``migrated`` event
naming the admin is written with the new version and state in one transaction. A move that would lose an
open element, by anyone not in ``admin``, of a finished instance or to the version it is on is refused
and changes nothing; a failed instance moves with its incident and is retried on the new version. The replay switches versions at the event and the instance verifies clean. On
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from engine import service_tasks
from engine.errors import Forbidden, HandlerError, InvalidTransition, NotFound
from engine.platform import Platform
from engine.replay import Replayer
from engine.store import instances
from engine.store.models import ProcessVersion
from tests.conftest import bundle

ADMIN = "admin"
STAMP_FAILS = {"now": False}


@pytest.fixture
def review(platform: Platform) -> Iterator[Platform]:
    """review at version 1: draft, the manager's approval with a 48-hour timer, stamp (whose handler
    fails while ``STAMP_FAILS["now"]``)."""
    STAMP_FAILS["now"] = False

    @service_tasks.handler("test.stamp")
    def stamp(ctx: service_tasks.HandlerContext) -> dict[str, object]:
        if STAMP_FAILS["now"]:
            raise HandlerError("the letter register is down")
        return {"letter_no": "L-1"}

    platform.deploy(bundle("review"), actor=ADMIN)
    yield platform
    service_tasks.unregister("test.stamp")


def newer_versions(platform: Platform) -> None:
    """Version 2 (a legal review after the approval) and 3 (no approval: drafts go straight to the stamp),
    deployed once the test's instances are running on version 1."""
    for name in ("review_v2", "review_v3"):
        platform.deploy(bundle(name), actor=ADMIN)


def only_task(platform: Platform, user: str, instance_id: str) -> dict[str, Any]:
    (task,) = platform.tasks(user, instance_id=instance_id)
    return task


def version_of(platform: Platform, instance_id: str) -> int:
    with platform.store.reading() as tx:
        row = tx.get(ProcessVersion, instances.head(tx, instance_id).version_id)
        assert row is not None
        return row.version


def stored(platform: Platform, instance_id: str) -> tuple[Any, ...]:
    """Everything a migration writes: the version, the state, the revision, the history, the open tasks."""
    with platform.store.reading() as tx:
        head, state = instances.head(tx, instance_id), instances.state(tx, instance_id)
    tasks = platform.tasks(ADMIN, instance_id=instance_id)
    return head.version_id, head.revision, state, platform.history(instance_id), tasks


def at_approval(platform: Platform) -> tuple[str, dict[str, Any]]:
    """A version-1 instance waiting for the manager's approval (its data edited by an admin meanwhile),
    and the newer versions deployed."""
    started = platform.start("review", {}, actor="ali")
    platform.complete(
        str(only_task(platform, "ali", started.instance_id)["id"]), {"amount": 5000}, actor="ali"
    )
    platform.edit_data(started.instance_id, {"subject": "روکش آسفالت"}, actor=ADMIN)
    newer_versions(platform)
    return started.instance_id, only_task(platform, "mina", started.instance_id)


def replays_clean(platform: Platform, instance_id: str) -> bool:
    return Replayer.of(platform, lambda folder, clock: {}).replay(instance_id).ok


def test_a_migrated_instance_takes_the_new_versions_path(review: Platform) -> None:
    instance_id, approve = at_approval(review)
    assert version_of(review, instance_id) == 1

    result = review.migrate(instance_id, to_version=2, actor=ADMIN, note="legal review is now required")

    assert result.status == "running" and version_of(review, instance_id) == 2
    event = review.history(instance_id)[-1]
    assert (event["kind"], event["actor"]) == ("migrated", ADMIN)
    assert event["data"] == {"from_version": 1, "to_version": 2, "note": "legal review is now required"}
    assert only_task(review, "mina", instance_id)["id"] == approve["id"]  # the open task is the same task
    review.complete(str(approve["id"]), {"approved": True}, actor="mina")
    legal = only_task(review, "reza", instance_id)  # version 2's step after the approval
    assert legal["element_id"] == "legal"
    assert review.complete(str(legal["id"]), {}, actor="reza").status == "completed"
    final = next(e for e in review.history(instance_id) if e["kind"] == "instance_completed")
    assert final["data"]["data"]["subject"] == "روکش آسفالت"  # the admin's edit survived the move
    assert replays_clean(review, instance_id)
    assert review.verify(instance_id).ok


def test_the_open_tasks_timer_keeps_its_deadline_across_the_migration(review: Platform) -> None:
    instance_id, _ = at_approval(review)
    review.clock.advance(hours=24)  # half of the 48 hours have gone by
    review.migrate(instance_id, to_version=2, actor=ADMIN)

    assert review.tick(review.clock.now() + dt.timedelta(hours=23)) == 0  # not a fresh 48 hours either
    assert review.tick(review.clock.now() + dt.timedelta(hours=25)) == 1
    assert only_task(review, "reza", instance_id)["element_id"] == "escalated"
    assert replays_clean(review, instance_id)


def test_a_move_that_would_lose_an_open_element_is_refused_and_changes_nothing(review: Platform) -> None:
    instance_id, _ = at_approval(review)
    before = stored(review, instance_id)

    with pytest.raises(InvalidTransition) as refused:
        review.migrate(instance_id, to_version=3, actor=ADMIN)

    assert "'approve' is open in the instance and missing in the target version" in refused.value.message
    assert "'sla' is open" in refused.value.message  # the approval's running timer too
    assert stored(review, instance_id) == before
    assert review.complete(
        str(only_task(review, "mina", instance_id)["id"]), {"approved": True}, actor="mina"
    )


def test_an_instance_not_yet_at_a_removed_element_may_move_past_it(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    newer_versions(review)
    review.migrate(started.instance_id, to_version=3, actor=ADMIN)
    draft = only_task(review, "ali", started.instance_id)
    # 5000 would go to the manager in version 1; version 3 has no approval
    assert review.complete(str(draft["id"]), {"amount": 5000}, actor="ali").status == "completed"
    assert replays_clean(review, started.instance_id)


def test_only_an_admin_may_migrate_and_not_a_finished_instance_nor_to_its_own_version(
    review: Platform,
) -> None:
    instance_id, _ = at_approval(review)
    before = stored(review, instance_id)
    with pytest.raises(Forbidden, match="admin"):
        review.migrate(instance_id, to_version=2, actor="mina")
    with pytest.raises(InvalidTransition, match="already on version 1"):
        review.migrate(instance_id, to_version=1, actor=ADMIN)
    with pytest.raises(NotFound, match="no version 9") as unknown:
        review.migrate(instance_id, to_version=9, actor=ADMIN)
    assert "1, 2, 3" in str(unknown.value.hint)
    assert stored(review, instance_id) == before

    review.cancel(instance_id, actor=ADMIN)
    with pytest.raises(InvalidTransition, match="cancelled"):
        review.migrate(instance_id, to_version=2, actor=ADMIN)


def test_a_suspended_instance_can_be_migrated_and_resumed(review: Platform) -> None:
    instance_id, approve = at_approval(review)
    review.suspend(instance_id, actor=ADMIN, note="moving to the new rules")
    assert review.migrate(instance_id, to_version=2, actor=ADMIN).status == "suspended"
    review.resume(instance_id, actor=ADMIN)
    review.complete(str(approve["id"]), {"approved": True}, actor="mina")
    assert only_task(review, "reza", instance_id)["element_id"] == "legal"
    assert replays_clean(review, instance_id)


def test_a_failed_instance_moves_with_its_incident_and_is_retried_on_the_new_version(
    review: Platform,
) -> None:
    STAMP_FAILS["now"] = True
    started = review.start("review", {}, actor="ali")
    draft = only_task(review, "ali", started.instance_id)
    assert review.complete(str(draft["id"]), {"amount": 10}, actor="ali").status == "error"
    newer_versions(review)

    assert review.migrate(started.instance_id, to_version=3, actor=ADMIN).status == "error"

    STAMP_FAILS["now"] = False
    assert review.retry(started.instance_id, actor=ADMIN).status == "completed"
    assert version_of(review, started.instance_id) == 3
