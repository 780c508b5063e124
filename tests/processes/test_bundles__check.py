"""Every bundle passes the engine's own check (``python run.py check``) and deploys with its calls resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

import handlers  # noqa: F401  (registers the handlers, as run.py does before checking)
from engine import service_tasks
from engine.clock import FixedClock
from engine.definitions.deploy import check_path
from tests.conftest import make_platform
from tests.processes.conftest import BUNDLES, NS, PROCESSES, documented_handlers, tree


@pytest.mark.parametrize("key", BUNDLES)
def test_the_engine_check_finds_no_error(key: str) -> None:
    report = check_path(PROCESSES / key)
    found = [d for diagnostics in report.values() for d in diagnostics]
    assert [str(d) for d in found if d.severity == "error"] == []


def test_every_documented_handler_is_registered() -> None:
    assert sorted(documented_handlers() - set(service_tasks.registered())) == []


def test_deploying_the_library_resolves_every_call_activity(tmp_path: Path) -> None:
    platform = make_platform(
        f"sqlite:///{tmp_path / 'library.db'}", tmp_path, FixedClock.at("2026-03-01T09:00Z")
    )
    deployed = platform.deploy(PROCESSES, actor="admin")
    keys = {d.process_key for d in deployed}
    called = {
        c.get("calledElement") for key in BUNDLES for c in tree(key).iterfind(".//bpmn:callActivity", NS)
    }
    assert called and called <= keys
    assert [w for d in deployed for w in d.warnings if "NZ123" in w] == []
    platform.store.dispose()
