"""tools/walkthrough.sh end to end: a fresh database, the library deployed, one pass of each of the eight
processes through the command line (signature steps signed with the demo keys), every history intact,
the mail in a real SMTP server's log."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "walkthrough.sh"
# The user tasks with signature=required that the happy paths pass through.
SIGNED = [
    "council_approve", "dg_approve", "dg_propose", "sign", "decree", "select_firm", "dg_decide",
    "dg_send", "minister_approval", "board_opinion", "conclude",
]  # fmt: skip
PROCESSES = sorted(p.name for p in (ROOT / "processes").iterdir() if (p / "process.bpmn").is_file())


def run_walkthrough(work: Path, python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEZARAT_")}
    env["PYTHON"] = python
    return subprocess.run(
        ["bash", str(SCRIPT), str(work)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=1800,
        check=False,
    )


def subjects(smtp_log: Path) -> list[str]:
    """The subjects of the messages aiosmtpd's Debugging handler printed, decoded."""
    text = smtp_log.read_text(encoding="utf-8")
    messages = re.findall(r"-+ MESSAGE FOLLOWS -+\n(.*?)\n-+ END MESSAGE -+", text, re.S)
    return [str(email.message_from_string(m, policy=email.policy.default)["Subject"]) for m in messages]


@pytest.mark.slow
def test_the_walkthrough_drives_each_process_to_its_end_and_verifies(tmp_path: Path) -> None:
    work = tmp_path / "walkthrough"
    done = run_walkthrough(work)
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    lines = done.stdout.splitlines()
    assert "instances completed: 8 of 8" in lines and "histories intact: 8 of 8" in lines
    assert len(PROCESSES) == 8
    with sqlite3.connect(work / "nezarat.db") as db:
        rows = sorted(db.execute("select process_key, status, incident from instances"))
        signed = sorted(e for (e,) in db.execute("select element_id from history where kind = 'signed'"))
    # incident is a JSON column: SQL NULL or the JSON text 'null' both say "none".
    assert [(key, status, json.loads(incident or "null")) for key, status, incident in rows] == [
        (key, "completed", None) for key in PROCESSES
    ]
    assert signed == sorted(SIGNED)  # every signature step, signed with the user's demo key

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEZARAT_")}
    env.update(NEZARAT_DATABASE_URL=f"sqlite:///{work / 'nezarat.db'}", NEZARAT_DATA_DIR=str(work))

    def nz(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "run.py", *args]
        return subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
        )

    verified = nz("verify", "--all")  # re-runs each instance too: every step was its own process
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.count("history intact") == 8
    replayed = json.loads(nz("replay", "--all", "--json").stdout)
    assert [r["divergence"] for r in replayed if not r["ok"]] == [] and len(replayed) == 8

    sent = subjects(work / "smtp.log")
    assert {
        "ابلاغ مصوبهٔ کمیتهٔ شفافیت",
        "ابلاغ حکم شهردار",
        "انتخاب مؤسسه برای حسابرسی شهرداری",
        "نتیجهٔ بررسی گزارش حسابرسی",
        "ابلاغ درجهٔ جدید شهرداری",
    } <= set(sent)
    # No deadline passed during the walk: no reminder or escalation whatever the day it runs.
    assert not [s for s in sent if s.startswith(("یادآوری", "گذشت مهلت"))], sent
    assert f"mail delivered to the SMTP sink: {len(sent)}" in lines


def test_the_walkthrough_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "nezarat.db").write_text("not ours", encoding="utf-8")
    done = run_walkthrough(tmp_path)
    assert done.returncode == 2 and "is not empty" in done.stderr
    assert (tmp_path / "nezarat.db").read_text(encoding="utf-8") == "not ours"


@pytest.mark.slow
def test_a_refused_step_stops_the_walkthrough_with_its_exit_code_and_the_sink(tmp_path: Path) -> None:
    # A python that refuses the budget draft (exit 4, as a conflict would) and runs everything else.
    python = tmp_path / "python"
    python.write_text(
        "#!/usr/bin/env bash\n"
        'if [[ "$*" == *"--element draft"* ]]; then echo "error: refused by the test" >&2; exit 4; fi\n'
        f'exec {sys.executable} "$@"\n',
        encoding="utf-8",
    )
    python.chmod(0o755)
    done = run_walkthrough(tmp_path / "work", python=str(python))
    assert done.returncode == 4, done.stderr
    assert "error: refused by the test" in done.stderr
    assert "walkthrough FAILED at: draft as budget_a" in done.stderr
    assert "instances completed" not in done.stdout and "2/8" not in done.stdout
    port = int(re.search(r"SMTP sink on port (\d+)", done.stdout).group(1))  # type: ignore[union-attr]
    with pytest.raises(OSError):  # the sink was stopped on the way out
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
