"""An administrator skips an open task: the process moves on exactly as after a completion, in one
transaction with a ``skipped`` event naming the admin, the task, the data given and the note; the data
is checked against the task's form as a completion's is; a signature step, a suspended instance and
anyone not in ``admin`` are refused and nothing moves; the replay re-runs the skip as an input. On SQLite
and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from engine import service_tasks
from engine.clock import FixedClock
from engine.errors import Conflict, Forbidden, InvalidTransition, ValidationError
from engine.platform import Platform
from engine.replay import Replayer
from engine.settings import from_env
from handlers import wiring
from tests.conftest import add_people, bundle

ADMIN = "admin"


@pytest.fixture
def review(platform: Platform) -> Iterator[Platform]:
    @service_tasks.handler("test.stamp")
    def stamp(ctx: service_tasks.HandlerContext) -> dict[str, object]:
        return {"letter_no": "L-1"}

    platform.deploy(bundle("review"), actor=ADMIN)
    yield platform
    service_tasks.unregister("test.stamp")


def only_task(platform: Platform, user: str, instance_id: str) -> dict[str, Any]:
    (task,) = platform.tasks(user, instance_id=instance_id)
    return task


def kinds(platform: Platform, instance_id: str) -> list[tuple[str, str | None]]:
    return [(e["kind"], e["actor"]) for e in platform.history(instance_id)]


def test_a_skipped_task_moves_the_process_on_as_a_completion_would(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    draft = only_task(review, "ali", started.instance_id)

    result = review.skip(str(draft["id"]), actor=ADMIN, data={"amount": 5000}, note="ali has left the office")

    assert result.status == "running"
    skipped = next(e for e in review.history(started.instance_id) if e["kind"] == "skipped")
    assert (skipped["actor"], skipped["element_id"], skipped["task_id"]) == (ADMIN, "draft", draft["id"])
    assert skipped["data"] == {"submitted": {"amount": 5000}, "note": "ali has left the office"}
    assert ("completed", "ali") not in kinds(review, started.instance_id)
    # 5000 > 1000: the gateway sends the case to the manager, in the same commit as the skip
    after = [e["kind"] for e in review.history(started.instance_id) if e["seq"] > skipped["seq"]]
    assert after[:2] == ["gateway_taken", "task_ready"]
    assert only_task(review, "mina", started.instance_id)["element_id"] == "approve"
    with pytest.raises(Conflict, match=f"already completed by {ADMIN}"):  # a late submission by ali
        review.complete(str(draft["id"]), {"amount": 1}, actor="ali")


def test_a_skip_without_data_goes_on_with_the_case_data_as_it_is(review: Platform) -> None:
    started = review.start("review", {"amount": 10}, actor="ali")
    draft = only_task(review, "ali", started.instance_id)

    assert review.skip(str(draft["id"]), actor=ADMIN).status == "completed"  # 10: no approval needed

    skipped = next(e for e in review.history(started.instance_id) if e["kind"] == "skipped")
    assert skipped["data"] == {"submitted": {}}
    assert review.tasks("ali", instance_id=started.instance_id) == []


def test_only_an_admin_may_skip_and_not_in_a_suspended_instance_and_nothing_moves(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    draft = str(only_task(review, "ali", started.instance_id)["id"])
    before = review.history(started.instance_id)

    with pytest.raises(Forbidden, match="admin"):
        review.skip(draft, actor="mina", data={"amount": 5})
    assert review.history(started.instance_id) == before

    review.suspend(started.instance_id, actor=ADMIN)
    with pytest.raises(InvalidTransition, match="suspended"):
        review.skip(draft, actor=ADMIN)
    assert kinds(review, started.instance_id)[-1] == ("suspended", ADMIN)
    assert only_task(review, "ali", started.instance_id)["id"] == draft


def test_a_signature_step_cannot_be_skipped(platform: Platform) -> None:
    platform.deploy(bundle("signed_decision"), actor=ADMIN)
    started = platform.start("signed_decision", {}, actor="mina")
    decide = only_task(platform, "mina", started.instance_id)
    assert decide["signature_required"]
    before = platform.history(started.instance_id)

    with pytest.raises(InvalidTransition, match="signature step") as refused:
        platform.skip(str(decide["id"]), actor=ADMIN, data={"decision": "approved"})

    assert "امضای دیجیتال" in refused.value.message and "reassign" in str(refused.value.hint)
    assert platform.history(started.instance_id) == before


def test_the_skip_is_replayed_as_the_input_it_was(review: Platform) -> None:
    started = review.start("review", {}, actor="ali")
    review.skip(str(only_task(review, "ali", started.instance_id)["id"]), actor=ADMIN, data={"amount": 5000})
    review.complete(
        str(only_task(review, "mina", started.instance_id)["id"]), {"approved": True}, actor="mina"
    )
    replayer = Replayer.of(review, lambda folder, clock: {})
    assert replayer.replay(started.instance_id).ok

    with review.store.transaction() as tx:  # the recorded skip said 500: the gateway would skip approval
        tx.execute(
            text("update history set data = :d where instance_id = :i and kind = 'skipped'"),
            {"d": '{"submitted": {"amount": 500}}', "i": started.instance_id},
        )
    diverged = replayer.replay(started.instance_id)
    assert not diverged.ok and diverged.divergence is not None
    assert diverged.divergence.element_id == "gw_amount"


@pytest.fixture
def validated(tmp_path: Path, clock: FixedClock, sqlite_url: str) -> Iterator[Platform]:
    """A platform with the forms' validator wired, as run.py and the web have it."""
    settings = from_env({}, database_url=sqlite_url, data_dir=str(tmp_path))
    built = Platform.build(settings, clock=clock, **wiring.platform_parts(settings, clock))
    built.init_db()
    with built.store.transaction() as tx:
        add_people(tx)
    built.deploy(bundle("review"), actor=ADMIN)
    yield built
    built.store.dispose()


def test_the_data_of_a_skip_is_checked_against_the_tasks_form(validated: Platform) -> None:
    started = validated.start("review", {}, actor="ali")
    draft = str(only_task(validated, "ali", started.instance_id)["id"])
    before = validated.history(started.instance_id)

    with pytest.raises(ValidationError) as refused:
        validated.skip(draft, actor=ADMIN, data={"amount": -5})

    assert [d["path"] for d in refused.value.details] == ["amount"]
    assert validated.history(started.instance_id) == before
    # Without data too: the next steps read the form's required answers (it used to end in an incident).
    with pytest.raises(ValidationError) as empty:
        validated.skip(draft, actor=ADMIN, note="کارمند منتقل شده است")
    assert [d["path"] for d in empty.value.details] == ["amount"]
    assert validated.history(started.instance_id) == before
    validated.skip(draft, actor=ADMIN, data={"amount": "۵۰۰۰"})  # Persian digits, normalised as by a form
    skipped = validated.history(started.instance_id)[len(before)]
    assert skipped["kind"] == "skipped" and skipped["data"]["submitted"] == {"amount": 5000}
    report = validated.verify(started.instance_id)
    assert report.ok and "replay" in report.checked, report
