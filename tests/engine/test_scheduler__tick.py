"""The scheduler calls one tick on an interval, and a failing tick does not stop it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import pytest

from engine import scheduler

INTERVAL_S = 0.05
PATIENCE_S = 5.0


class CountingTick:
    def __init__(self, *, fail_first: int = 0) -> None:
        self.calls = 0
        self.fail_first = fail_first
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            self.calls += 1
            calls = self.calls
        if calls <= self.fail_first:
            raise RuntimeError(f"tick {calls} failed on purpose")
        return 0


def wait_until(condition: Callable[[], bool], *, within: float = PATIENCE_S) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_tick_is_called_at_least_twice_within_five_seconds() -> None:
    tick = CountingTick()
    running = scheduler.start(tick, INTERVAL_S)
    try:
        assert wait_until(lambda: tick.calls >= 2)
    finally:
        scheduler.stop(running)
    assert not running.running


def test_a_failing_tick_is_logged_and_the_scheduler_keeps_ticking(caplog: pytest.LogCaptureFixture) -> None:
    tick = CountingTick(fail_first=1)
    with caplog.at_level(logging.ERROR, logger="engine.scheduler"):
        running = scheduler.start(tick, INTERVAL_S)
        try:
            assert wait_until(lambda: tick.calls >= 3)
        finally:
            scheduler.stop(running)
    failures = [r for r in caplog.records if r.name == "engine.scheduler"]
    assert failures and failures[0].exc_info is not None
    assert "tick 1 failed on purpose" in str(failures[0].exc_info[1])


def test_the_job_runs_one_at_a_time_and_coalesces_missed_runs() -> None:
    running = scheduler.start(CountingTick(), 60)
    try:
        [job] = running.get_jobs()
        assert (job.id, job.max_instances, job.coalesce) == (scheduler.JOB_ID, 1, True)
    finally:
        scheduler.stop(running)


def test_stop_twice_is_harmless() -> None:
    running = scheduler.start(CountingTick(), 60)
    scheduler.stop(running)
    scheduler.stop(running)
    assert not running.running


def test_a_non_positive_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        scheduler.start(CountingTick(), 0)
