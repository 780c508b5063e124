"""start, tasks, claim, complete, cancel, tick, history and verify through the real command line."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import pytest

from tests.cli.conftest import TASK_KEYS

if TYPE_CHECKING:
    from tests.cli.conftest import Cli


@pytest.fixture(scope="module")
def waiting(approval_cli: Cli) -> dict[str, str]:
    """An instance waiting on its first task, which the tests below only fail to change."""
    instance_id = approval_cli.start()
    [task] = approval_cli.tasks("budget_a", instance_id)
    assert set(task) == TASK_KEYS
    assert task["candidate_groups"] == ["budget_officer"] and task["element_id"] == "Task_request"
    return {"instance_id": instance_id, "task_id": task["id"]}


def test_an_approval_runs_from_start_to_completed(approval_cli: Cli) -> None:
    cli = approval_cli
    instance_id = cli.start()
    [request] = cli.tasks("budget_a", instance_id)
    claimed = cli("claim", request["id"], "--as", "budget_a", "--json").json()
    assert claimed == {"instance_id": instance_id, "status": "running"}
    amount = '{"amount": 5000000}'
    cli("complete", request["id"], "--as", "budget_a", "--data", amount, "--expected-rev", "2")
    again = cli("complete", request["id"], "--as", "budget_a", "--json", expect=4)
    assert again.out == "" and again.err.startswith("error: task ")
    [approve] = cli.tasks("mayor_a", instance_id)
    assert approve["element_id"] == "Task_approve"
    done = cli("complete", approve["id"], "--as", "mayor_a", "--json").json()
    assert done == {"instance_id": instance_id, "status": "completed"}
    events = cli("history", instance_id, "--json").json()
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert all({"seq", "at", "actor", "kind", "element_id", "data", "hash"} <= set(e) for e in events)
    kinds = [e["kind"] for e in events]
    assert kinds[0] == "started" and kinds[-2:] == ["instance_completed", "checkpoint"]  # the demo seal's
    assert {"claimed", "completed", "gateway_taken"} <= set(kinds)
    verdict = cli("verify", instance_id, "--json").json()
    everything = ["chain", "signature", "checkpoint", "document", "replay"]
    assert verdict == {
        "instance_id": instance_id,
        "ok": True,
        "events": len(events),
        "findings": [],
        "checked": everything,
    }


def test_a_user_of_another_group_neither_sees_nor_completes_the_task(
    approval_cli: Cli, waiting: dict[str, str]
) -> None:
    assert approval_cli.tasks("mayor_a", waiting["instance_id"]) == []
    refused = approval_cli("complete", waiting["task_id"], "--as", "mayor_a", "--json", expect=5)
    assert refused.out == ""
    assert refused.err.startswith("error: mayor_a is not a candidate for task ")


def test_an_unknown_task_is_not_found(approval_cli: Cli) -> None:
    refused = approval_cli("claim", "no-such-task", "--as", "budget_a", "--json", expect=3)
    assert refused.out == "" and "task no-such-task does not exist" in refused.err


def test_data_that_is_not_json_is_invalid_input(approval_cli: Cli, waiting: dict[str, str]) -> None:
    refused = approval_cli(
        "complete", waiting["task_id"], "--as", "budget_a", "--data", "{amount: 1}", expect=2
    )
    assert refused.err.startswith("error: --data is not valid JSON: ")


def test_a_stale_expected_revision_is_a_conflict(approval_cli: Cli, waiting: dict[str, str]) -> None:
    args = ("complete", waiting["task_id"], "--as", "budget_a", "--expected-rev", "0", "--json")
    refused = approval_cli(*args, expect=4)
    assert refused.out == "" and "is at revision 1, not 0" in refused.err


def test_tasks_without_a_user_is_invalid_input(approval_cli: Cli) -> None:
    refused = approval_cli("tasks", "--json", expect=2)
    assert refused.out == "" and refused.err.startswith("error: tasks needs --as USER")


def test_cancel_ends_the_instance_and_keeps_the_note_in_the_history(approval_cli: Cli) -> None:
    instance_id = approval_cli.start()
    args = ("cancel", instance_id, "--as", "admin", "--note", "درخواست تکراری", "--json")
    assert approval_cli(*args).json() == {"instance_id": instance_id, "status": "cancelled"}
    events = approval_cli("history", instance_id, "--json").json()
    cancelled = next(e for e in events if e["kind"] == "cancelled")
    assert (cancelled["actor"], cancelled["data"]) == ("admin", {"note": "درخواست تکراری"})


def test_tick_reports_how_many_instances_its_timers_moved(approval_cli: Cli) -> None:
    assert approval_cli("tick", "--now", "2030-01-01T00:00:00+03:30", "--json").json() == {"fired": 0}


def test_a_changed_history_event_breaks_the_chain_and_verify_exits_1_naming_it(approval_cli: Cli) -> None:
    instance_id = approval_cli.start()
    with sqlite3.connect(approval_cli.database) as db:
        db.execute("update history set actor = 'intruder' where instance_id = ? and seq = 2", (instance_id,))
    broken = approval_cli("verify", instance_id, expect=1)
    assert broken.err.startswith(f"error: instance {instance_id}: history broken at event 2: ")
    verdicts = approval_cli("verify", "--all", "--json", expect=1).json()
    [mine] = [v for v in verdicts if v["instance_id"] == instance_id]
    assert mine["ok"] is False and mine["first_broken_seq"] == 2 and mine["reason"]


def test_refer_with_a_note_then_return_through_the_command_line(approval_cli: Cli) -> None:
    cli = approval_cli
    instance_id = cli.start()
    [request] = cli.tasks("budget_a", instance_id)
    cli("refer", request["id"], "--to", "mayor_a", "--note", "لطفاً ببینید", "--as", "budget_a")
    [referred] = cli.tasks("mayor_a", instance_id)
    assert referred["assignee"] == "mayor_a" and referred["referred_by"] == "budget_a"
    assert referred["referrals"][0]["note"] == "لطفاً ببینید"
    cli("return", request["id"], "--note", "مدرک ندارد", "--as", "mayor_a")
    [back] = cli.tasks("budget_a", instance_id)
    assert back["assignee"] == "budget_a"
    refused = cli("return", request["id"], "--as", "budget_a", expect=4)
    assert "not referred to you" in refused.err
    kinds = [e["kind"] for e in cli("history", instance_id, "--json").json()]
    assert kinds.count("referred") == 1 and kinds.count("returned") == 1


def test_referral_needs_a_target_and_an_existing_person(approval_cli: Cli) -> None:
    instance_id = approval_cli.start()
    [request] = approval_cli.tasks("budget_a", instance_id)
    assert (
        "either to a person or to a unit"
        in approval_cli("refer", request["id"], "--as", "budget_a", expect=2).err
    )
    assert (
        "nobody" in approval_cli("refer", request["id"], "--to", "nobody", "--as", "budget_a", expect=3).err
    )


def test_an_absence_sends_referrals_to_the_delegate(approval_cli: Cli) -> None:
    cli = approval_cli
    cli(
        "absences",
        "add",
        "mayor_a",
        "--delegate",
        "council_a",
        "--from",
        "2000-01-01T00:00Z",
        "--until",
        "2100-01-01T00:00Z",
    )
    instance_id = cli.start()
    [request] = cli.tasks("budget_a", instance_id)
    cli("refer", request["id"], "--to", "mayor_a", "--as", "budget_a")
    [held] = cli.tasks("council_a", instance_id)
    assert held["assignee"] == "council_a" and held["referrals"][-1]["delegated_from"] == ["mayor_a"]
