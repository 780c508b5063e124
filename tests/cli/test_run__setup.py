"""init-db, users add, deploy and check through the real command line."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.demo import DEMO_FILE
from tests.cli.conftest import BUNDLE

if TYPE_CHECKING:
    from tests.cli.conftest import Cli


def count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute(f"select count(*) from {table}").fetchone()[0])


def test_init_db_with_demo_twice_loads_the_organisation_once(cli: Cli) -> None:
    first = cli("init-db", "--demo")
    sizes = [count(cli.database, t) for t in ("units", "users", "memberships")]
    second = cli("init-db", "--demo")
    assert [count(cli.database, t) for t in ("units", "users", "memberships")] == sizes
    assert first.out == second.out
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    assert sizes[:2] == [len(demo["units"]), len(demo["users"])]
    assert f"demo organisation loaded: {sizes[0]} units, {sizes[1]} users" in second.out
    skipped = cli("init-db", "--demo", "--if-empty")
    assert "skipped" in skipped.out


def test_the_demo_organisation_is_a_tree_from_the_national_organisation_down(demo_cli: Cli) -> None:
    with sqlite3.connect(demo_cli.database) as db:
        parent = dict(db.execute("select name, parent from units"))
        unit_of = dict(db.execute("select name, unit from users"))
        title = dict(db.execute("select name, title from units"))
    chain, unit = [], unit_of["mayor_a"]
    while unit is not None:
        chain.append(unit)
        unit = parent[unit]
    assert chain == ["muni-a", "farmandari-a", "gov-ostan", "ostan", "national-org"]
    assert title["national-org"] == "سازمان شهرداری‌ها و دهیاری‌های کشور"


def test_users_add_creates_a_user_with_groups_and_unit(demo_cli: Cli) -> None:
    added = demo_cli("users", "add", "reza", "--groups", "budget_officer,Finance", "--unit", "muni-b")
    assert added.out.strip() == "user reza: groups Finance, budget_officer; unit muni-b"


def test_deploy_prints_the_version_and_deploying_again_keeps_it(
    demo_cli: Cli, deployed: dict[str, Any], tmp_path: Path
) -> None:
    assert set(deployed) == {"process_key", "version", "sha256", "warnings"}
    assert deployed["process_key"] == "cli_approval" and len(deployed["sha256"]) == 64
    assert demo_cli("deploy", str(BUNDLE), "--json").json() == deployed
    shutil.copytree(BUNDLE, tmp_path / "bundles" / "cli_approval")
    assert demo_cli("deploy", str(tmp_path / "bundles"), "--json").json() == [deployed]


def test_check_reports_a_missing_form_as_nz102_and_exits_2(cli: Cli, tmp_path: Path) -> None:
    bundle = tmp_path / "wrong_form"
    shutil.copytree(BUNDLE, bundle)
    (bundle / "forms" / "x.json").rename(bundle / "forms" / "y.json")
    checked = cli("check", str(bundle), expect=2)
    first = checked.out.splitlines()[0]
    assert first.startswith("NZ102 userTask 'Task_request' names form 'x.json', which is not in the bundle; ")
    assert "did you mean 'y.json'?" in first
    assert first.endswith(f"({bundle / 'process.bpmn'}:22)")
    assert checked.err.startswith("error: ")


def test_a_command_before_init_db_says_to_run_init_db(cli: Cli) -> None:
    ran = cli("tasks", "--as", "budget_a", expect=2)
    assert ran.out == ""
    assert "no Nezarat tables" in ran.err and "run.py init-db" in ran.err
