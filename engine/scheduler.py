"""APScheduler wiring: one interval job that calls one idempotent tick. The only ``add_job`` in Nezarat.

Due timers live in the database and ``Platform.tick()`` claims them under a lock, so the scheduler holds
no state of its own: several processes may each run one, and a tick that is skipped or doubled changes
nothing. A failing tick is logged and swallowed; the next interval tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

logger = logging.getLogger(__name__)

JOB_ID = "nezarat.tick"


def start(platform_tick: Callable[[], int], seconds: float) -> BackgroundScheduler:
    """Start a background scheduler that calls ``platform_tick`` every ``seconds``."""
    if seconds <= 0:
        raise ValueError(f"tick interval must be positive, not {seconds}")
    scheduler = BackgroundScheduler(timezone=dt.UTC, daemon=True)
    scheduler.add_job(
        _guarded(platform_tick),
        "interval",
        seconds=seconds,
        id=JOB_ID,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )
    scheduler.start()
    return scheduler


def stop(scheduler: BackgroundScheduler, *, wait: bool = True) -> None:
    """Stop ``scheduler``; with ``wait`` a tick in progress finishes its transaction first."""
    if scheduler.running:
        scheduler.shutdown(wait=wait)


def _guarded(platform_tick: Callable[[], int]) -> Callable[[], None]:
    def tick() -> None:
        try:
            moved = platform_tick()
        except Exception:
            logger.exception("scheduler tick failed; the next tick will try again")
            return
        if moved:
            logger.info("scheduler tick moved %d instance(s)", moved)

    return tick
