"""create_app(): no module-level app, the platform on app.extensions, the scheduler outside tests only."""

from __future__ import annotations

import ast
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

import webui
from engine import scheduler
from engine.clock import FixedClock
from engine.platform import Platform
from tests.webui.organisation import build_platform
from webui import SCHEDULER_KEY, create_app, secret_key
from webui.extension import KEY

WEBUI = Path(webui.__file__).parent


def test_no_module_builds_a_flask_app_at_import() -> None:
    for path in WEBUI.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                continue
            names = [c.func.id for c in calls if isinstance(c.func, ast.Name)]
            assert "Flask" not in names, f"module-level Flask( in {path}"


def test_each_call_builds_a_new_app_on_the_given_platform(platform: Platform) -> None:
    first = create_app({"TESTING": True}, platform=platform)
    second = create_app({"TESTING": True}, platform=platform)
    assert first is not second
    assert first.extensions[KEY] is platform
    assert SCHEDULER_KEY not in first.extensions


def test_outside_tests_the_scheduler_ticks_the_platform(tmp_path: Path, clock: FixedClock) -> None:
    platform = build_platform(tmp_path, clock, scheduler="on", tick_seconds="3600")
    app = create_app({}, platform=platform)
    running = app.extensions[SCHEDULER_KEY]
    try:
        assert isinstance(running, BackgroundScheduler) and running.running
        [job] = running.get_jobs()
        assert job.id == scheduler.JOB_ID
    finally:
        scheduler.stop(running)
        platform.store.dispose()


def test_with_the_scheduler_off_none_starts(tmp_path: Path, clock: FixedClock) -> None:
    platform = build_platform(tmp_path, clock, scheduler="off")
    assert SCHEDULER_KEY not in create_app({}, platform=platform).extensions
    platform.store.dispose()


def test_the_secret_key_is_generated_once_into_the_data_dir(platform: Platform) -> None:
    key = secret_key(platform.settings)
    assert len(key) == 64 and secret_key(platform.settings) == key
    path = Path(platform.settings.data_dir) / "secret_key"
    assert path.read_text() == key and path.stat().st_mode & 0o077 == 0
    assert create_app({"TESTING": True}, platform=platform).config["SECRET_KEY"] == key
