"""Driving a case from a script through the real command line: ``start --quiet``, ``complete --instance
--element``, ``show`` and ``attach``."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.cli.conftest import ROOT

if TYPE_CHECKING:
    from tests.cli.conftest import Cli

PDF = b"%PDF-1.4\n% walkthrough\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def started(cli: Cli, *args: str) -> str:
    """Start with --quiet: stdout is exactly the instance id and a newline."""
    ran = cli("start", *args, "--quiet")
    assert ran.out.endswith("\n") and ran.out.count("\n") == 1
    instance_id = ran.out.strip()
    assert str(uuid.UUID(instance_id)) == instance_id
    return instance_id


def shown(cli: Cli, instance_id: str, *args: str) -> dict[str, Any]:
    return cli("show", instance_id, *args, "--json").json()


def test_start_quiet_prints_only_the_id_of_a_running_instance(approval_cli: Cli) -> None:
    instance_id = started(approval_cli, "cli_approval", "--as", "budget_a", "--data", '{"note": "x"}')
    assert [t["element_id"] for t in approval_cli.tasks("budget_a", instance_id)] == ["Task_request"]


def test_a_case_runs_to_its_end_by_instance_and_element(approval_cli: Cli) -> None:
    cli = approval_cli
    instance_id = started(cli, "cli_approval", "--as", "budget_a")
    base = ("complete", "--instance", instance_id, "--element")
    done = cli(*base, "Task_request", "--as", "budget_a", "--data", '{"amount": 5000000}', "--json").json()
    assert done == {"instance_id": instance_id, "status": "running"}
    assert [t["element_id"] for t in shown(cli, instance_id)["open_tasks"]] == ["Task_approve"]
    cli(*base, "Task_approve", "--as", "mayor_a")
    view = shown(cli, instance_id)
    assert (view["status"], view["open_tasks"], view["incident"]) == ("completed", [], None)
    kinds = [e["kind"] for e in cli("history", instance_id, "--json").json()]
    assert kinds.count("completed") == 2 and kinds[-2:] == ["instance_completed", "checkpoint"]


def test_an_element_the_user_has_no_open_task_of_is_not_found_and_nothing_moves(approval_cli: Cli) -> None:
    cli = approval_cli
    instance_id = started(cli, "cli_approval", "--as", "budget_a")
    before = shown(cli, instance_id)
    wrong_user = cli(
        "complete", "--instance", instance_id, "--element", "Task_request", "--as", "mayor_a", expect=3
    )
    assert wrong_user.out == ""
    assert wrong_user.err == (
        f"error: mayor_a has no open 'Task_request' task in instance {instance_id}; "
        "their open tasks there: none\n"
    )
    not_yet = cli(
        "complete", "--instance", instance_id, "--element", "Task_approve", "--as", "budget_a", expect=3
    )
    assert "their open tasks there: Task_request" in not_yet.err
    assert shown(cli, instance_id) == before


def test_an_unknown_instance_is_not_found(approval_cli: Cli) -> None:
    missing = str(uuid.uuid4())
    refused = approval_cli(
        "complete", "--instance", missing, "--element", "Task_request", "--as", "budget_a", expect=3
    )
    assert refused.err == f"error: instance {missing} does not exist\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("some-task", "--instance", "i", "--element", "e"),
            "give either TASK_ID or --instance with --element",
        ),
        (("--instance", "i"), "name the task: TASK_ID, or --instance ID with --element ELEMENT"),
        (("--element", "Task_request"), "name the task: TASK_ID, or --instance ID with --element ELEMENT"),
    ],
)
def test_the_task_is_named_one_way_or_the_other(
    approval_cli: Cli, args: tuple[str, ...], message: str
) -> None:
    refused = approval_cli("complete", *args, "--as", "budget_a", "--json", expect=2)
    assert refused.out == "" and refused.err.startswith(f"error: {message}")


def test_two_open_tasks_of_one_element_need_the_task_id(demo_cli: Cli) -> None:
    cli = demo_cli
    cli("deploy", str(ROOT / "tests" / "data" / "bundles" / "per_unit"), "--as", "admin")
    cli("users", "add", "cases_gov_clerk", "--groups", "clerk", "--unit", "gov-ostan")
    cli("users", "add", "cases_clerk_a", "--groups", "clerk", "--unit", "muni-a")
    instance_id = started(cli, "per_unit", "--as", "admin", "--data", '{"units": ["muni-a", "muni-b"]}')
    fill = ("complete", "--instance", instance_id, "--element", "fill")
    refused = cli(*fill, "--as", "cases_gov_clerk", expect=2)
    tasks = {t["org_unit"]: t["id"] for t in shown(cli, instance_id)["open_tasks"]}
    assert refused.err.startswith(
        f"error: cases_gov_clerk sees 2 open 'fill' tasks in instance {instance_id}; give the TASK_ID; "
    )
    assert f"{tasks['muni-a']} (muni-a)" in refused.err and f"{tasks['muni-b']} (muni-b)" in refused.err
    cli(*fill, "--as", "cases_clerk_a")  # the clerk of muni-a sees one: muni-a's
    assert [t["org_unit"] for t in shown(cli, instance_id)["open_tasks"]] == ["muni-b"]
    cli(*fill, "--as", "cases_gov_clerk")  # now one is left for the governorate's clerk too
    assert shown(cli, instance_id)["status"] == "completed"


def test_show_names_the_version_the_open_tasks_and_who_may_act(approval_cli: Cli) -> None:
    cli = approval_cli
    instance_id = started(cli, "cli_approval", "--as", "budget_a")
    view = shown(cli, instance_id)
    assert {
        k: view[k] for k in ("instance_id", "process_key", "version", "status", "started_by", "incident")
    } == {
        "instance_id": instance_id,
        "process_key": "cli_approval",
        "version": 1,
        "status": "running",
        "started_by": "budget_a",
        "incident": None,
    }
    [task] = view["open_tasks"]
    [seen] = cli.tasks("budget_a", instance_id)
    assert task == {k: v for k, v in seen.items() if k != "sla"}  # the inbox's row, without its SLA state
    assert task["element_id"] == "Task_request" and task["candidate_groups"] == ["budget_officer"]
    text = cli("show", instance_id).out.splitlines()
    assert text[0] == f"instance {instance_id}: running"
    assert text[1] == "process cli_approval version 1, revision 1"
    assert "incident: none" in text and "open tasks:" in text
    row = next(line for line in text if task["id"] in line)
    assert "Task_request" in row and f"budget_officer in {task['org_unit']}" in row


def test_show_hides_an_instance_from_whom_may_not_view_it(approval_cli: Cli) -> None:
    instance_id = started(approval_cli, "cli_approval", "--as", "budget_a")
    assert shown(approval_cli, instance_id, "--as", "budget_a")["instance_id"] == instance_id
    refused = approval_cli("show", instance_id, "--as", "budget_b", expect=3)
    assert refused.err == f"error: instance {instance_id} does not exist\n"
    assert approval_cli("show", "no-such-instance", expect=3).out == ""


def test_attach_stores_the_file_and_prints_its_ref(demo_cli: Cli, tmp_path: Path) -> None:
    document = tmp_path / "نامه.pdf"
    document.write_bytes(PDF)
    ref = demo_cli("attach", str(document), "--as", "budget_a").out
    digest = hashlib.sha256(PDF).hexdigest()
    assert ref == f"sha256:{digest}\n"
    stored = demo_cli.folder / "attachments" / digest[:2] / digest
    assert stored.read_bytes() == PDF
    assert json.loads(stored.with_suffix(".json").read_text(encoding="utf-8"))["filename"] == "نامه.pdf"
    again = demo_cli("attach", str(document), "--as", "budget_b", "--json").json()
    assert again == {
        "ref": ref.strip(),
        "filename": "نامه.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
    }


def test_attach_refuses_a_program_named_pdf_and_needs_a_known_user(demo_cli: Cli, tmp_path: Path) -> None:
    program = tmp_path / "report.pdf"
    program.write_bytes(b"MZ\x90\x00 not a document")
    refused = demo_cli("attach", str(program), "--as", "budget_a", "--json", expect=2)
    assert refused.out == "" and "این نوع پرونده پذیرفته نیست" in refused.err
    assert not (
        demo_cli.folder / "attachments" / hashlib.sha256(program.read_bytes()).hexdigest()[:2]
    ).exists()
    document = tmp_path / "a.pdf"
    document.write_bytes(PDF)
    assert "attach needs --as USER" in demo_cli("attach", str(document), expect=2).err
    assert "user 'nobody' does not exist" in demo_cli("attach", str(document), "--as", "nobody", expect=3).err
