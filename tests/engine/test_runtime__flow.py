"""The runtime end to end on the review bundle (Camunda flavour), on SQLite and PostgreSQL, with and
without the in-memory workflow cache (without it every step reloads the instance from the database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from engine import service_tasks
from engine.errors import Conflict, Forbidden, HandlerError, InvalidTransition, NotFound
from engine.platform import Platform
from engine.store.models import HistoryEvent, Instance, TaskRow, TimerRow
from tests.conftest import bundle


@pytest.fixture(autouse=True)
def stamp_handler() -> Iterator[list[str]]:
    calls: list[str] = []

    @service_tasks.handler("test.stamp")
    def stamp(ctx: service_tasks.HandlerContext) -> dict[str, object]:
        calls.append(ctx.instance_id)
        return {"letter_no": f"L-{len(calls)}", "stamped_by": ctx.actor}

    yield calls
    service_tasks.unregister("test.stamp")


@pytest.fixture(params=[True, False], ids=["cached", "reloaded"])
def review(platform: Platform, request: pytest.FixtureRequest) -> Platform:
    if not request.param:
        platform.runtime.live._size = 0  # every step loads, deserializes and saves through the database
    platform.deploy(bundle("review"), actor="admin")
    return platform


def only_task(platform: Platform, user: str, instance_id: str) -> dict[str, object]:
    tasks = platform.tasks(user, instance_id=instance_id)
    assert len(tasks) == 1, tasks
    return tasks[0]


def kinds(platform: Platform, instance_id: str) -> list[str]:
    return [e["kind"] for e in platform.history(instance_id)]


def test_small_amount_goes_straight_to_the_handler_and_completes(
    review: Platform, stamp_handler: list[str]
) -> None:
    started = review.start("review", {}, actor="ali")
    draft = only_task(review, "ali", started.instance_id)
    assert (
        draft["element_id"] == "draft" and draft["candidate_groups"] == ["clerk"] and draft["priority"] == 60
    )

    done = review.complete(str(draft["id"]), {"amount": 500}, actor="ali")

    assert done.status == "completed"
    assert stamp_handler == [started.instance_id]
    assert kinds(review, started.instance_id) == [
        "started", "task_ready", "completed", "gateway_taken", "service_completed", "end_reached", "instance_completed",
    ]  # fmt: skip
    final = review.history(started.instance_id)[-1]["data"]["data"]
    assert final["letter_no"] == "L-1" and final["stamped_by"] == "ali"
    assert review.verify(started.instance_id).ok


def test_big_amount_needs_the_manager_and_a_rejection_loops_back(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    draft = only_task(review, "ali", started.instance_id)
    review.complete(str(draft["id"]), {"amount": 5000}, actor="ali")
    approve = only_task(review, "mina", started.instance_id)
    assert approve["element_id"] == "approve"
    assert (
        approve["due_at"] == "2026-03-03T05:30:00+00:00"
    )  # camunda:dueDate P2D from the moment it became ready
    assert review.tasks("ali", instance_id=started.instance_id) == []

    review.complete(str(approve["id"]), {"approved": False}, actor="mina")
    again = only_task(review, "sara", started.instance_id)
    assert again["element_id"] == "draft" and again["id"] != draft["id"]
    gateway = [e for e in review.history(started.instance_id) if e["kind"] == "gateway_taken"][-1]
    assert gateway["element_id"] == "gw_ok" and gateway["data"] == {"to": ["draft"]}


def test_a_clerk_of_another_municipality_neither_sees_nor_completes_the_task(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    draft = only_task(review, "ali", started.instance_id)
    assert review.tasks("bahram", instance_id=started.instance_id) == []
    before = review.instance(started.instance_id)

    with pytest.raises(Forbidden):
        review.complete(str(draft["id"]), {"amount": 1}, actor="bahram")

    assert review.instance(started.instance_id) == before
    assert kinds(review, started.instance_id) == ["started", "task_ready"]


def test_the_governorate_expert_is_not_a_candidate_of_a_clerk_task(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    draft = only_task(review, "ali", started.instance_id)
    with pytest.raises(Forbidden):
        review.claim(str(draft["id"]), actor="reza")


def test_a_stale_revision_is_a_conflict_and_changes_nothing(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    draft = only_task(review, "ali", started.instance_id)
    review.claim(str(draft["id"]), actor="ali")  # revision 1 -> 2

    with pytest.raises(Conflict) as caught:
        review.complete(str(draft["id"]), {"amount": 1}, actor="ali", expected_rev=1)

    assert caught.value.exit_code == 4 and caught.value.status == 409
    assert review.instance(started.instance_id)["revision"] == 2
    assert only_task(review, "ali", started.instance_id)["assignee"] == "ali"


def test_a_second_completion_of_the_same_task_is_refused(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    draft = only_task(review, "ali", started.instance_id)
    review.complete(str(draft["id"]), {"amount": 5000}, actor="ali")
    with pytest.raises(Conflict, match="already completed by ali"):
        review.complete(str(draft["id"]), {"amount": 1}, actor="ali")
    with pytest.raises(NotFound):
        review.complete("00000000-0000-0000-0000-000000000000", {"amount": 1}, actor="ali")


def test_a_claimed_task_belongs_to_its_claimer_until_unclaimed(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    task_id = str(only_task(review, "ali", started.instance_id)["id"])
    review.claim(task_id, actor="sara")
    assert review.tasks("ali", instance_id=started.instance_id) == []
    with pytest.raises(Forbidden):
        review.complete(task_id, {"amount": 1}, actor="ali")
    with pytest.raises(InvalidTransition):
        review.claim(task_id, actor="sara")
    review.unclaim(task_id, actor="sara")
    assert review.complete(task_id, {"amount": 1}, actor="ali").status == "completed"
    assert kinds(review, started.instance_id)[2:4] == ["claimed", "unclaimed"]


def test_the_boundary_timer_fires_after_its_due_time_and_not_before(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    review.complete(str(only_task(review, "ali", started.instance_id)["id"]), {"amount": 5000}, actor="ali")
    became_ready = review.clock.now()

    assert review.tick(became_ready + dt.timedelta(hours=47, minutes=59)) == 0
    assert only_task(review, "mina", started.instance_id)["element_id"] == "approve"

    assert review.tick(became_ready + dt.timedelta(hours=48, seconds=1)) == 1
    assert review.tasks("mina", instance_id=started.instance_id) == []
    assert only_task(review, "reza", started.instance_id)["element_id"] == "escalated"
    tail = kinds(review, started.instance_id)[-3:]
    assert tail == ["timer_fired", "task_ready", "task_cancelled"]
    assert review.tick(became_ready + dt.timedelta(days=30)) == 0  # nothing left to fire


def test_cancel_removes_tasks_and_timers(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    review.complete(str(only_task(review, "ali", started.instance_id)["id"]), {"amount": 5000}, actor="ali")
    with pytest.raises(Forbidden, match="only the starter"):
        review.cancel(started.instance_id, actor="mina")
    assert review.cancel(started.instance_id, actor="ali").status == "cancelled"
    with review.store.reading() as tx:
        assert tx.scalar(select(func.count()).select_from(TaskRow)) == 0
        assert tx.scalar(select(func.count()).select_from(TimerRow)) == 0
    with pytest.raises(InvalidTransition):
        review.cancel(started.instance_id, actor=None)
    assert review.verify(started.instance_id).ok


def test_a_failing_handler_leaves_an_incident_that_a_retry_clears(review: Platform) -> None:
    service_tasks.unregister("test.stamp")
    failures = iter([HandlerError("دفتر اندیکاتور در دسترس نیست")])

    @service_tasks.handler("test.stamp")
    def flaky(ctx: service_tasks.HandlerContext) -> dict[str, object]:
        err = next(failures, None)
        if err is not None:
            raise err
        return {"letter_no": "L-9"}

    started = review.start("review", {}, actor="ali")
    failed = review.complete(
        str(only_task(review, "ali", started.instance_id)["id"]), {"amount": 1}, actor="ali"
    )

    assert failed.status == "error"
    incident = review.instance(started.instance_id)["incident"]
    assert incident["element_id"] == "stamp" and incident["message"] == "دفتر اندیکاتور در دسترس نیست"
    assert review.retry(started.instance_id, actor="admin").status == "completed"
    assert kinds(review, started.instance_id)[-5:] == [
        "incident", "retried", "service_completed", "end_reached", "instance_completed",
    ]  # fmt: skip


def test_an_unregistered_handler_is_an_incident_with_a_clear_message(review: Platform) -> None:
    service_tasks.unregister("test.stamp")
    started = review.start("review", {}, actor="ali")
    result = review.complete(
        str(only_task(review, "ali", started.instance_id)["id"]), {"amount": 1}, actor="ali"
    )
    assert result.status == "error"
    assert "no handler named 'test.stamp'" in review.instance(started.instance_id)["incident"]["message"]


def test_history_rows_equal_the_instance_chain_head(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    review.complete(str(only_task(review, "ali", started.instance_id)["id"]), {"amount": 1}, actor="ali")
    with review.store.reading() as tx:
        inst = tx.get(Instance, started.instance_id)
        last = tx.scalars(select(HistoryEvent).order_by(HistoryEvent.seq.desc()).limit(1)).one()
        assert inst is not None and (inst.last_seq, inst.last_hash) == (last.seq, last.hash)
