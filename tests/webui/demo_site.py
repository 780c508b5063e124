"""The demo site the page and browser tests run against: the demo organisation with its passwords, every
bundle of ``processes/`` deployed, and a few cases in the urban affairs experts' inbox.

The clock is fixed (a Sunday morning in Tehran), so SLA states and Jalali dates are the same on every
run; cases are started at earlier moments to give the inbox an overdue, a due-soon and an on-time task.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from engine import demo
from engine.clock import FixedClock
from engine.platform import Platform
from engine.settings import from_env
from handlers import wiring

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ROOT / "processes"
PASSWORD = demo.DEMO_PASSWORD
NOW = "2026-03-01T09:00:00+03:30"
JOURNEY_KEY = "بخشنامهٔ بودجهٔ ۱۴۰۶ — شهرستان نمونه"


@dataclasses.dataclass(frozen=True)
class Seeded:
    """Ids of what :func:`seed` made."""

    journey_instance: str
    journey_task: str
    muni_a_instance: str
    muni_a_task: str


def demo_platform(tmp: Path, clock: FixedClock, bundles: tuple[str, ...] = ()) -> Platform:
    """The demo organisation on a fresh SQLite file; ``bundles`` of processes/ deployed (default: all)."""
    settings = from_env({}, database_url=f"sqlite:///{tmp}/site.db", data_dir=str(tmp), scheduler="off")
    platform = Platform.build(settings, clock=clock, **wiring.platform_parts(settings, clock))
    platform.init_db()
    with platform.store.transaction() as tx:
        demo.load_demo(tx)
        demo.set_demo_passwords(tx)
    for path in [PROCESSES / name for name in bundles] or [PROCESSES]:
        platform.deploy(path, actor="admin")
    return platform


def seed(platform: Platform, clock: FixedClock) -> Seeded:
    """Budget circulars for the urban affairs experts (one late, one due soon, one claimed, one referred,
    the journey's own) and a muni-a audit request for the mayor of municipality A."""
    now = clock.now()
    for days, key in ((-12, "بخشنامهٔ اصلاحیهٔ ۱۴۰۵"), (-6, "بخشنامهٔ متمم ۱۴۰۵")):
        clock.set(now + dt.timedelta(days=days))
        platform.start("budget_oversight", {}, actor="expert_2", business_key=key)
    clock.set(now - dt.timedelta(days=2))
    claimed = platform.start("budget_oversight", {}, actor="expert_1", business_key="بخشنامهٔ بودجهٔ ۱۴۰۵")
    platform.claim(task_of(platform, "expert_1", claimed.instance_id), actor="expert_1")
    referred = platform.start("budget_oversight", {}, actor="expert_2", business_key="بخشنامهٔ سازمان‌ها")
    task = task_of(platform, "expert_2", referred.instance_id)
    platform.claim(task, actor="expert_2")
    platform.refer(task, actor="expert_2", to_user="expert_1", note="لطفاً فهرست شهرداری‌ها را کامل کنید.")
    clock.set(now)
    journey = platform.start("budget_oversight", {}, actor="dg_urban", business_key=JOURNEY_KEY)
    audit = platform.start("audit_review", {}, actor="mayor_a", business_key="حسابرسی ۱۴۰۴ شهرداری الف")
    return Seeded(
        journey_instance=journey.instance_id,
        journey_task=task_of(platform, "expert_1", journey.instance_id),
        muni_a_instance=audit.instance_id,
        muni_a_task=task_of(platform, "mayor_a", audit.instance_id),
    )


def task_of(platform: Platform, user: str, instance_id: str) -> str:
    [task] = platform.tasks(user, instance_id=instance_id)
    task_id: str = task["id"]
    return task_id
