"""Run ``run.py`` as a real subprocess against a throw-away SQLite database in a temporary folder."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from webui.api.openapi import TASK_REQUIRED

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "tests" / "data" / "bundles" / "cli_approval"
# The task fields the API documents (webui/api/openapi.py): the CLI's --json prints the same dict.
TASK_KEYS = set(TASK_REQUIRED)


@dataclasses.dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@dataclasses.dataclass(frozen=True)
class Cli:
    """``cli("tasks", "--as", "budget_a", expect=0)`` runs run.py and asserts its exit code."""

    folder: Path

    @property
    def database(self) -> Path:
        return self.folder / "t.db"

    def __call__(self, *args: str, expect: int = 0, stdin: str | None = None) -> Ran:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEZARAT_")}
        env.update(NEZARAT_DATABASE_URL=f"sqlite:///{self.database}", NEZARAT_DATA_DIR=str(self.folder))
        done = subprocess.run(
            [sys.executable, "run.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            input=stdin,
            text=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )
        ran = Ran(done.returncode, done.stdout, done.stderr)
        assert ran.code == expect, f"run.py {' '.join(args)} exited {ran.code}:\n{ran.out}\n{ran.err}"
        return ran

    def start(self, actor: str = "budget_a", data: str = '{"note": "درخواست آزمون"}') -> str:
        """Start cli_approval as ``actor`` and return the instance id."""
        started = self("start", "cli_approval", "--as", actor, "--data", data, "--json").json()
        assert started == {"instance_id": started["instance_id"], "status": "running"}
        return str(started["instance_id"])

    def tasks(self, actor: str, instance_id: str) -> list[dict[str, Any]]:
        """The open tasks of one instance that ``actor`` sees."""
        return self("tasks", "--as", actor, "--instance", instance_id, "--json").json()


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """A command line over a database that does not exist yet."""
    return Cli(tmp_path)


@pytest.fixture(scope="session")
def demo_cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """One database for the session (per xdist worker) with the demo organisation loaded."""
    cli = Cli(tmp_path_factory.mktemp("cli"))
    cli("init-db", "--demo")
    return cli


@pytest.fixture(scope="session")
def deployed(demo_cli: Cli) -> dict[str, Any]:
    """The first deploy of the cli_approval bundle into the session's database, as printed by --json."""
    return demo_cli("deploy", str(BUNDLE), "--json", "--as", "admin").json()


@pytest.fixture(scope="session")
def approval_cli(demo_cli: Cli, deployed: dict[str, Any]) -> Cli:
    """The session's database with the demo organisation and cli_approval deployed."""
    return demo_cli
