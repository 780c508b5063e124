"""Referral (ارجاع): who gets a ready task, and moving a task to another person or unit by hand.

Smart referral is policy as data — the task property ``referral`` (``round_robin`` or
``least_loaded``) — applied to the members of the task's candidate groups nearest to the case's unit.
Absent people are passed over while someone else can take the task; when everyone is away, the task
goes to the chosen person's delegate. Every choice carries its reason, which the history records.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from engine import directory
from engine.errors import InvalidInput, InvalidTransition
from engine.store.models import Absence, ReferralCursor, TaskRow

POLICIES = ("round_robin", "least_loaded")
_MAX_DELEGATION = 5  # a chain of delegates longer than this is a loop someone must untangle


@dataclasses.dataclass(frozen=True)
class Choice:
    person: str
    reason: dict[str, Any]


def choose(
    tx: Session,
    *,
    policy: str,
    process_key: str,
    element_id: str,
    groups: list[str],
    unit: str | None,
    now: dt.datetime,
    leaving: Collection[str] = (),
) -> Choice | None:
    """The person a ready task goes to under ``policy``, or None when the role has no member near the case."""
    if policy not in POLICIES:
        return None
    members = sorted({p.name for g in groups for p in directory.nearest_members(tx, g, unit)})
    if not members:
        return None
    present = [m for m in members if absence_of(tx, m, now) is None]
    pool = present or members
    if policy == "round_robin":
        picked = _next_in_turn(tx, process_key, element_id, pool)
        reason: dict[str, Any] = {"policy": policy, "among": pool}
    else:
        loads = workload(tx, pool, leaving=leaving)
        picked = min(pool, key=lambda name: (loads.get(name, 0), name))
        reason = {"policy": policy, "among": pool, "open_tasks": {m: loads.get(m, 0) for m in pool}}
    skipped = [m for m in members if m not in pool]
    if skipped:
        reason["absent"] = skipped
    final, chain = delegate_of(tx, picked, now)
    if chain:
        reason["delegated_from"] = chain
    return Choice(final, reason)


def _next_in_turn(tx: Session, process_key: str, element_id: str, pool: list[str]) -> str:
    cursor = tx.get(ReferralCursor, (process_key, element_id))
    last = cursor.last_user if cursor else None
    later = [m for m in pool if last is None or m > last]
    picked = later[0] if later else pool[0]
    if cursor is None:
        tx.add(ReferralCursor(process_key=process_key, element_id=element_id, last_user=picked))
    else:
        cursor.last_user = picked
    return picked


_LOAD = (
    select(TaskRow.assignee, func.count())
    .where(
        TaskRow.assignee.in_(bindparam("names", expanding=True)),
        TaskRow.id.not_in(bindparam("leaving", expanding=True)),
    )
    .group_by(TaskRow.assignee)
)


def workload(tx: Session, names: list[str], *, leaving: Collection[str] = ()) -> dict[str, int]:
    """Open tasks assigned to each of ``names``, not counting ``leaving`` (done in this very step)."""
    params = {"names": names, "leaving": sorted(leaving) or [""]}
    return {name: count for name, count in tx.connection().execute(_LOAD, params)}


_ABSENT = (
    select(Absence)
    .where(
        Absence.user == bindparam("user"),
        Absence.starts_at <= bindparam("now"),
        Absence.ends_at > bindparam("now"),
    )
    .order_by(Absence.starts_at.desc())
)


def absence_of(tx: Session, user: str, now: dt.datetime) -> Absence | None:
    return tx.scalars(_ABSENT, {"user": user, "now": now}).first()


def delegate_of(tx: Session, user: str, now: dt.datetime) -> tuple[str, list[str]]:
    """Who acts for ``user`` now, and the absent people passed on the way (empty when ``user`` is in)."""
    chain: list[str] = []
    current = user
    while (away := absence_of(tx, current, now)) is not None and len(chain) < _MAX_DELEGATION:
        if away.delegate in chain or away.delegate == user:
            break
        chain.append(current)
        current = away.delegate
    return current, chain


def add_absence(
    tx: Session,
    user: str,
    *,
    delegate: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    note: str | None = None,
) -> Absence:
    directory.person(tx, user)
    directory.person(tx, delegate)
    if delegate == user:
        raise InvalidInput("a user cannot be their own delegate")
    if ends_at <= starts_at:
        raise InvalidInput("an absence must end after it starts")
    row = Absence(user=user, delegate=delegate, starts_at=starts_at, ends_at=ends_at, note=note)
    tx.add(row)
    tx.flush()
    return row


def referrers(referrals: list[dict[str, Any]]) -> list[str]:
    """Who referred the task to its present holder, and before them: each referral pushes, each return pops."""
    stack: list[str] = []
    for step in referrals:
        if step.get("kind") == "return":
            if stack:
                stack.pop()
        elif step.get("to"):
            stack.append(str(step["from"]))
    return stack


def return_target(referrals: list[dict[str, Any]], actor: str) -> str:
    """The person who referred the task to ``actor``."""
    stack = referrers(referrals)
    if not stack or referrals[-1].get("to") != actor:
        raise InvalidTransition("this task was not referred to you, so there is no one to return it to")
    return stack[-1]


__all__ = [
    "POLICIES",
    "Choice",
    "absence_of",
    "add_absence",
    "choose",
    "delegate_of",
    "referrers",
    "return_target",
    "workload",
]
