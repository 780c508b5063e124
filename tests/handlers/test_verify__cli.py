"""The command line of administrators and auditors, run as a real subprocess: suspend, resume, reassign,
edit-data, skip and migrate as an admin (others are refused with exit 5), each in the history under the
admin's name; verify prints every finding of a tampered history and exits 1."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import BUNDLE, Cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("cli"))
    cli("init-db", "--demo")
    cli("deploy", str(BUNDLE), "--as", "admin")
    return cli


def test_admin_commands_are_chain_events_under_the_admins_name(demo: Cli) -> None:
    instance_id = demo.start()
    [request] = demo.tasks("budget_a", instance_id)
    refused = demo("suspend", instance_id, "--as", "budget_a", expect=5)
    assert "admin" in refused.err

    assert (
        demo("suspend", instance_id, "--as", "admin", "--note", "بازرسی", "--json").json()["status"]
        == "suspended"
    )
    waiting = demo("complete", request["id"], "--as", "budget_a", "--data", '{"amount": 5}', expect=4)
    assert "suspended" in waiting.err
    assert demo("resume", instance_id, "--as", "admin", "--json").json()["status"] == "running"
    demo("reassign", request["id"], "--to", "budget_b", "--as", "admin")
    demo("edit-data", instance_id, "--data", '{"note": "اصلاح"}', "--as", "admin")

    events = demo("history", instance_id, "--json").json()
    admin = [(e["kind"], e["actor"]) for e in events if e["actor"] == "admin"]
    assert admin == [
        ("suspended", "admin"),
        ("resumed", "admin"),
        ("reassigned", "admin"),
        ("data_edited", "admin"),
    ]
    assert events[-1]["data"]["old"] == {"note": "درخواست آزمون"}
    assert "history intact" in demo("verify", instance_id).out


def test_skip_completes_a_task_on_the_admins_authority_with_its_data_and_note(demo: Cli) -> None:
    instance_id = demo.start()
    [request] = demo.tasks("budget_a", instance_id)
    refused = demo("skip", request["id"], "--as", "budget_a", expect=5)
    assert "admin" in refused.err

    skip = (
        "skip",
        request["id"],
        "--as",
        "admin",
        "--data",
        '{"amount": 2000000}',
        "--note",
        "کارمند رفته است",
    )
    assert demo(*skip, "--json").json() == {"instance_id": instance_id, "status": "running"}

    events = demo("history", instance_id, "--json").json()
    skipped = next(e for e in events if e["kind"] == "skipped")
    assert (skipped["actor"], skipped["task_id"]) == ("admin", request["id"])
    assert skipped["data"] == {"submitted": {"amount": 2000000}, "note": "کارمند رفته است"}
    # 2,000,000 > 1,000,000: the mayor's approval is next, as after a completion with that amount
    assert [t["element_id"] for t in demo.tasks("mayor_a", instance_id)] == ["Task_approve"]
    again = demo("skip", request["id"], "--as", "admin", expect=3)
    assert "no longer open" in again.err
    assert "history intact" in demo("verify", instance_id).out


def test_verify_prints_every_finding_and_exits_1(demo: Cli) -> None:
    instance_id = demo.start()
    with sqlite3.connect(demo.database) as db:
        db.execute("update history set data = '{}' where instance_id = ? and seq = 1", (instance_id,))
        db.execute("delete from history where instance_id = ? and seq = 2", (instance_id,))
    broken = demo("verify", instance_id, expect=1)  # replays by default
    lines = broken.out.splitlines()[1:]
    assert lines[:2] == [
        "  chain altered at event #1: event #1 (started) was changed after it was written",
        "  chain deleted at event #2: event #2 is missing: it was deleted",
    ]
    # Re-running the process from the edited start event goes another way at that same event.
    assert lines[2].startswith("  replay diverged at event #1: re-running the process went another way")
    report = demo("verify", instance_id, "--json", expect=1).json()
    assert [(f["kind"], f["seq"], f["cause"]) for f in report["findings"]] == [
        ("chain", 1, "altered"),
        ("chain", 2, "deleted"),
        ("replay", 1, "diverged"),
    ]
    quick = demo("verify", instance_id, "--no-replay", "--json", expect=1).json()
    assert "replay" not in quick["checked"]
    assert [f["kind"] for f in quick["findings"]] == ["chain", "chain"]


def test_migrate_moves_an_instance_to_another_version_under_the_admins_name(
    demo: Cli, tmp_path: Path
) -> None:
    instance_id = demo.start()
    renamed = tmp_path / "cli_approval"  # version 2: the same steps under a new name
    shutil.copytree(BUNDLE, renamed)
    bpmn = renamed / "process.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace('name="', 'name="v2 ', 1), encoding="utf-8")
    version = demo("deploy", str(renamed), "--as", "admin", "--json").json()["version"]
    refused = demo("migrate", instance_id, "--to-version", str(version), "--as", "budget_a", expect=5)
    assert "admin" in refused.err
    missing = demo("migrate", instance_id, "--to-version", "99", "--as", "admin", expect=3)
    assert "no version 99" in missing.err

    moved = demo("migrate", instance_id, "--to-version", str(version), "--as", "admin", "--note", "نسخهٔ نو")
    assert moved.out.strip() == f"instance {instance_id}: running"
    assert demo("show", instance_id, "--json").json()["version"] == version
    event = demo("history", instance_id, "--json").json()[-1]
    assert (event["kind"], event["actor"]) == ("migrated", "admin")
    assert event["data"] == {"from_version": version - 1, "to_version": version, "note": "نسخهٔ نو"}
    assert "history intact" in demo("verify", instance_id).out
