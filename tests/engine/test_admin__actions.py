"""Administrators' actions are events in the instance's chain naming the admin: suspend (tasks and timers
wait), resume, reassign, edit data (old and new kept), cancel and retry; anyone else is Forbidden and
nothing moves. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from engine import service_tasks
from engine.errors import Forbidden, InvalidTransition
from engine.platform import Platform
from engine.replay import Replayer
from tests.conftest import bundle

ADMIN = "admin"  # the admin group's member in the tests' organisation (tests/conftest.py)


@pytest.fixture
def review(platform: Platform) -> Iterator[Platform]:
    @service_tasks.handler("test.stamp")
    def stamp(ctx: service_tasks.HandlerContext) -> dict[str, object]:
        return {"letter_no": "L-1"}

    platform.deploy(bundle("review"), actor="admin")
    yield platform
    service_tasks.unregister("test.stamp")


def only_task(platform: Platform, user: str, instance_id: str) -> dict[str, Any]:
    (task,) = platform.tasks(user, instance_id=instance_id)
    return task


def last_event(platform: Platform, instance_id: str) -> dict[str, Any]:
    return platform.history(instance_id)[-1]


def at_approval(platform: Platform) -> tuple[str, dict[str, Any]]:
    """An instance waiting for the manager's approval, whose 48-hour SLA timer is running."""
    started = platform.start("review", {}, actor="ali")
    platform.complete(
        str(only_task(platform, "ali", started.instance_id)["id"]), {"amount": 5000}, actor="ali"
    )
    return started.instance_id, only_task(platform, "mina", started.instance_id)


def test_a_suspended_instance_waits_its_timers_wait_and_resuming_lets_them_fire(review: Platform) -> None:
    instance_id, approve = at_approval(review)

    assert review.suspend(instance_id, actor=ADMIN, note="audit in progress").status == "suspended"

    suspended = last_event(review, instance_id)
    assert (suspended["kind"], suspended["actor"]) == ("suspended", ADMIN)
    assert suspended["data"] == {"status": "running", "note": "audit in progress"}
    for act in (
        lambda: review.complete(str(approve["id"]), {"approved": True}, actor="mina"),
        lambda: review.claim(str(approve["id"]), actor="mina"),
    ):
        with pytest.raises(InvalidTransition, match="suspended"):
            act()
    later = review.clock.now() + dt.timedelta(days=5)
    assert review.tick(later) == 0  # the SLA timer is due but the instance is suspended
    assert only_task(review, "mina", instance_id)["element_id"] == "approve"

    assert review.resume(instance_id, actor=ADMIN).status == "running"
    assert (last_event(review, instance_id)["kind"], last_event(review, instance_id)["actor"]) == (
        "resumed",
        ADMIN,
    )
    assert review.tick(later) == 1
    assert only_task(review, "reza", instance_id)["element_id"] == "escalated"
    assert review.verify(instance_id).ok


def test_only_an_admin_may_suspend_resume_reassign_edit_or_retry_and_nothing_moves(review: Platform) -> None:
    instance_id, approve = at_approval(review)
    before = review.history(instance_id)
    refused = [
        lambda: review.suspend(instance_id, actor="mina"),
        lambda: review.resume(instance_id, actor="mina"),
        lambda: review.reassign(str(approve["id"]), to_user="ali", actor="mina"),
        lambda: review.edit_data(instance_id, {"amount": 1}, actor="mina"),
        lambda: review.retry(instance_id, actor="mina"),
    ]
    for act in refused:
        with pytest.raises(Forbidden, match="admin"):
            act()
    assert review.history(instance_id) == before


def test_reassign_gives_the_task_to_the_user_and_records_who_decided(review: Platform) -> None:
    instance_id, approve = at_approval(review)

    review.reassign(str(approve["id"]), to_user="bahram", actor=ADMIN, note="mina is on leave")

    event = last_event(review, instance_id)
    assert (event["kind"], event["actor"], event["task_id"]) == ("reassigned", ADMIN, approve["id"])
    assert event["data"] == {"from": None, "to": "bahram", "note": "mina is on leave"}
    assert review.complete(str(approve["id"]), {"approved": True}, actor="bahram").status == "completed"
    assert review.verify(instance_id).ok


def test_edited_data_is_what_the_next_steps_read_and_the_history_keeps_old_and_new(review: Platform) -> None:
    started = review.start("review", {"amount": 100}, actor="ali")
    draft = only_task(review, "ali", started.instance_id)

    review.edit_data(started.instance_id, {"amount": 5000}, actor=ADMIN)

    event = last_event(review, started.instance_id)
    assert (event["kind"], event["actor"]) == ("data_edited", ADMIN)
    assert event["data"] == {"old": {"amount": 100}, "new": {"amount": 5000}}
    review.complete(str(draft["id"]), {}, actor="ali")
    # 5000 > 1000: the gateway sends the case to the manager, as it would not have with 100
    assert only_task(review, "mina", started.instance_id)["element_id"] == "approve"
    assert review.verify(started.instance_id).ok


def test_cancel_by_an_admin_names_the_admin_and_a_suspended_instance_can_be_cancelled(
    review: Platform,
) -> None:
    instance_id, _ = at_approval(review)
    review.suspend(instance_id, actor=ADMIN)

    assert review.cancel(instance_id, actor=ADMIN, note="  duplicate of case 1404-17  ").status == "cancelled"

    cancelled = next(e for e in review.history(instance_id) if e["kind"] == "cancelled")
    assert (cancelled["actor"], cancelled["data"]) == (ADMIN, {"note": "duplicate of case 1404-17"})
    assert review.verify(instance_id).ok  # the replay cancels with the recorded note
    with pytest.raises(InvalidTransition):
        review.suspend(instance_id, actor=ADMIN)
    with pytest.raises(InvalidTransition, match="final"):
        review.edit_data(instance_id, {"amount": 1}, actor=ADMIN)


def test_admin_actions_replay_clean_and_the_edit_is_replayed_as_the_input_it_was(review: Platform) -> None:
    started = review.start("review", {"amount": 100}, actor="ali")
    draft = only_task(review, "ali", started.instance_id)
    review.suspend(started.instance_id, actor=ADMIN)
    review.resume(started.instance_id, actor=ADMIN)
    review.edit_data(started.instance_id, {"amount": 5000}, actor=ADMIN)
    review.complete(str(draft["id"]), {}, actor="ali")
    approve = only_task(review, "mina", started.instance_id)
    review.reassign(str(approve["id"]), to_user="reza", actor=ADMIN)
    review.complete(str(approve["id"]), {"approved": True}, actor="reza")
    replayer = Replayer.of(review, lambda folder, clock: {})

    assert replayer.replay(started.instance_id).ok

    with review.store.transaction() as tx:  # the recorded edit said 500: the gateway would skip approval
        tx.execute(
            text("update history set data = :d where instance_id = :i and kind = 'data_edited'"),
            {"d": '{"old": {"amount": 100}, "new": {"amount": 500}}', "i": started.instance_id},
        )
    diverged = replayer.replay(started.instance_id)
    assert not diverged.ok and diverged.divergence is not None
    gateway = next(e for e in review.history(started.instance_id) if e["kind"] == "gateway_taken")
    assert (diverged.divergence.seq, diverged.divergence.element_id) == (gateway["seq"], "gw_amount")
    assert (diverged.divergence.expected or {})["data"] == {"to": ["approve"]}
    assert (diverged.divergence.actual or {})["data"] == {"to": ["stamp"]}
