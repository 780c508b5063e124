"""Smart referral: the ``referral`` task property picks a person near the case's unit, passes over the
absent, falls back to a delegate, and records why — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.platform import Platform
from tests.conftest import bundle


@pytest.fixture
def flow(platform: Platform) -> Platform:
    platform.deploy(bundle("referral_sla"), actor="admin")
    return platform


def assigned_event(platform: Platform, instance_id: str) -> dict[str, object]:
    events = [e for e in platform.history(instance_id) if e["kind"] == "assigned"]
    return events[-1]["data"]


def open_task(platform: Platform, user: str, instance_id: str) -> dict[str, object]:
    (task,) = platform.tasks(user, instance_id=instance_id)
    return task


def test_round_robin_takes_turns_among_the_case_units_clerks(flow: Platform) -> None:
    # mina works in muni-a: the case is muni-a's, so bahram (muni-b) is never chosen
    picked = []
    for _ in range(4):
        started = flow.start("referral_sla", {}, actor="mina")
        picked.append(assigned_event(flow, started.instance_id)["to"])
    assert picked == ["ali", "sara", "ali", "sara"]
    reason = assigned_event(flow, started.instance_id)
    assert reason["policy"] == "round_robin" and reason["among"] == ["ali", "sara"]


def test_the_chosen_clerk_alone_sees_the_task_in_their_inbox(flow: Platform) -> None:
    started = flow.start("referral_sla", {}, actor="mina")
    assert open_task(flow, "ali", started.instance_id)["assignee"] == "ali"
    assert flow.tasks("sara", instance_id=started.instance_id) == []
    assert flow.tasks("bahram", instance_id=started.instance_id) == []


def test_least_loaded_goes_to_the_clerk_with_fewer_open_tasks(flow: Platform) -> None:
    first = flow.start("referral_sla", {}, actor="mina")  # intake → ali (round robin)
    flow.start("referral_sla", {}, actor="mina")  # intake → sara
    flow.start("referral_sla", {}, actor="mina")  # intake → ali: ali holds 2, sara 1
    task = open_task(flow, "ali", first.instance_id)
    flow.complete(task["id"], {}, actor="ali")  # ali now holds 1 intake, sara 1
    review = assigned_event(flow, first.instance_id)
    assert review["policy"] == "least_loaded"
    assert review["open_tasks"] == {"ali": 1, "sara": 1}
    assert review["to"] == "ali"  # a tie goes to the first name, so the choice is reproducible


def test_an_absent_clerk_is_passed_over_while_a_colleague_is_in(flow: Platform, clock) -> None:
    now = clock.now()
    flow.add_absence(
        "ali", delegate="mina", starts_at=now - dt.timedelta(days=1), ends_at=now + dt.timedelta(days=3)
    )
    picked = [
        assigned_event(flow, flow.start("referral_sla", {}, actor="mina").instance_id) for _ in range(2)
    ]
    assert [p["to"] for p in picked] == ["sara", "sara"]
    assert picked[0]["absent"] == ["ali"]


def test_when_everyone_is_away_the_task_goes_to_the_delegate(flow: Platform, clock) -> None:
    now = clock.now()
    for clerk in ("ali", "sara"):
        flow.add_absence(clerk, delegate="mina", starts_at=now, ends_at=now + dt.timedelta(days=3))
    started = flow.start("referral_sla", {}, actor="mina")
    reason = assigned_event(flow, started.instance_id)
    assert reason["to"] == "mina" and reason["delegated_from"] == ["ali"]
    assert open_task(flow, "mina", started.instance_id)["assignee"] == "mina"


def test_an_absence_that_has_ended_changes_nothing(flow: Platform, clock) -> None:
    now = clock.now()
    flow.add_absence(
        "ali", delegate="mina", starts_at=now - dt.timedelta(days=5), ends_at=now - dt.timedelta(days=1)
    )
    started = flow.start("referral_sla", {}, actor="mina")
    assert assigned_event(flow, started.instance_id)["to"] == "ali"


def test_a_role_with_nobody_near_the_case_leaves_the_task_in_the_pool(flow: Platform) -> None:
    started = flow.start("referral_sla", {}, actor="reza")  # reza's unit is gov: no clerk there or above
    kinds = [e["kind"] for e in flow.history(started.instance_id)]
    assert "referral_skipped" in kinds and "assigned" not in kinds
