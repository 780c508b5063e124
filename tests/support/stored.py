"""A scenario that makes every kind of write the hot path makes, and a dump of what SQLite stored.

Two platforms that run the same scenario from the same clock store the same values; only ids (UUIDs),
the hashes made from them and SpiffWorkflow's own timestamps differ, so the dump numbers ids and hashes
in order of appearance and masks those timestamps.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from engine.clock import FixedClock
from engine.platform import Platform
from tests.conftest import add_people, bundle, make_platform
from tests.support.handlers import recording

START = "2026-03-18T09:00:00+03:30"
TABLES = ("instances", "tasks", "task_candidates", "history", "timers", "referral_cursors")
_IDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{64}")
_STAMPS = re.compile(r'"last_state_change": [0-9.e+-]+')  # SpiffWorkflow's own time.time()


def built(tmp_path: Path, name: str) -> Platform:
    """A platform on its own SQLite file with the test organisation and two bundles deployed."""
    (tmp_path / name).mkdir()
    platform = make_platform(f"sqlite:///{tmp_path / name / 'n.db'}", tmp_path / name, FixedClock.at(START))
    with platform.store.transaction() as tx:
        add_people(tx)
    platform.deploy(bundle("review"), actor="admin")
    platform.deploy(bundle("referral_sla"), actor="admin")
    return platform


def only(platform: Platform, user: str, instance_id: str) -> str:
    """The id of the one task ``user`` sees in the instance."""
    (task,) = platform.tasks(user, instance_id=instance_id)
    return str(task["id"])


def scenario(p: Platform) -> None:
    """Every kind of write the hot path makes: starts, claims, referrals, completions, timers, a cancel."""
    first = p.start("review", {}, actor="ali").instance_id
    p.complete(only(p, "ali", first), {"amount": 5000}, actor="ali")
    p.claim(only(p, "mina", first), actor="mina")
    p.complete(only(p, "mina", first), {"approved": False}, actor="mina")
    p.complete(only(p, "ali", first), {"amount": 500}, actor="ali")
    late = p.start("review", {}, actor="ali").instance_id
    p.complete(only(p, "ali", late), {"amount": 5000}, actor="ali")
    p.tick(p.clock.now() + dt.timedelta(hours=49))  # the boundary timer: the task goes to the expert
    p.cancel(late, actor="ali")
    sla = p.start("referral_sla", {}, actor="mina").instance_id
    p.refer(only(p, "ali", sla), actor="ali", to_user="sara", note="please")
    with recording("sla.remind", "sla.escalate"):
        p.tick(p.clock.now() + dt.timedelta(days=20))  # reminder and escalation
    p.complete(only(p, "sara", sla), {}, actor="sara")
    waiting = p.start("review", {}, actor="ali").instance_id  # left with a task row and a timer row
    p.complete(only(p, "ali", waiting), {"amount": 5000}, actor="ali")


def dump(platform: Platform) -> str:
    """Every stored value, as SQLite holds it, with ids and hashes numbered in order of appearance."""
    path = platform.store.engine.url.database
    conn = sqlite3.connect(str(path))
    try:
        lines = [f"{t} {row!r}" for t in TABLES for row in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")]
    finally:
        conn.close()
    text = _STAMPS.sub('"last_state_change": T', "\n".join(lines))
    seen: dict[str, str] = {}
    return _IDS.sub(lambda m: seen.setdefault(m.group(0), f"<{len(seen)}>"), text)


def force_sqlalchemy(platform: Platform) -> list[str]:
    """A statement listener: from now on every statement goes through SQLAlchemy (and is recorded)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    for engine in {platform.store.engine, platform.store.read_engine}:
        sa.event.listen(engine, "before_cursor_execute", record)
    return seen
