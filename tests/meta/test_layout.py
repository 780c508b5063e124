"""House rules a machine can check: package docstrings, module names, size budgets, one clock, one
add_job, README's first screen, documented settings."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from engine.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("engine", "forms", "handlers", "webui", "signatures", "commandline")
BANNED_MODULES = re.compile(r"^(utils|helpers|common|manager|misc)$|_service$")


def source_files() -> list[Path]:
    files = [ROOT / "run.py"]
    for package in PACKAGES:
        files += [p for p in (ROOT / package).rglob("*.py") if "alembic" not in p.parts]
    return [f for f in files if f.exists()]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_top_level_package_says_what_it_owns(package: str) -> None:
    init = ROOT / package / "__init__.py"
    assert init.exists(), f"{package}/ is not a package"
    assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), (
        f"{package}/__init__.py has no docstring"
    )


def test_modules_are_named_for_what_they_hold() -> None:
    bad = [str(p.relative_to(ROOT)) for p in source_files() if BANNED_MODULES.search(p.stem)]
    assert bad == []


def test_modules_stay_under_400_lines_and_functions_under_40() -> None:
    too_long = []
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 400:
            too_long.append(f"{path.relative_to(ROOT)}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno:
                length = node.end_lineno - node.lineno + 1
                if length > 40:
                    too_long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}() is {length} lines")
    assert too_long == []


def test_only_the_clock_module_reads_the_system_time() -> None:
    readers = [
        str(p.relative_to(ROOT))
        for p in source_files()
        if re.search(r"datetime\.now\(|date\.today\(|time\.time\(", p.read_text(encoding="utf-8"))
        and p.name != "clock.py"
        and p.parts[-2:] != ("spiff", "clockhook.py")
    ]
    assert readers == []


def test_the_scheduler_is_the_only_place_that_adds_a_job() -> None:
    adders = [
        str(p.relative_to(ROOT)) for p in source_files() if ".add_job(" in p.read_text(encoding="utf-8")
    ]
    assert adders in ([], ["engine/scheduler.py"])


def test_no_module_level_flask_app() -> None:
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                func = node.value.func
                assert not (isinstance(func, ast.Name) and func.id == "Flask"), (
                    f"{path}: module-level Flask()"
                )


def test_readme_first_screen_shows_what_it_is_the_two_commands_and_a_screenshot() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:25])
    assert "make run" in first_screen and "make test" in first_screen
    assert re.search(r"!\[[^\]]*\]\([^)]+\.png\)", first_screen)


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"NEZARAT_{s.name}" not in readme]
    assert missing == []
