"""The inbox's visibility rule has two forms: the list's (every task offered to a person's groups in
their units, for listing and counting) and the row's (one task's own candidates, for acting on it or
opening its page). They must agree on every task for every person, or a clerk could act on a task their
inbox does not show, or not act on one it does. Checked over every combination of holder, candidate,
unit, escalation and case unit that decides the rule, with the list reading the offers from either side
(a person's groups' candidate rows, or their units' tasks)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import insert

from engine import directory, inbox
from engine.clock import FixedClock
from engine.platform import Platform
from engine.store.models import Instance, TaskCandidate, TaskRow
from tests.conftest import bundle

HOLDERS = (None, "ali", "sara", "reza")
CANDIDATES = ((), (("group", "clerk"),), (("group", "manager"),), (("user", "ali"),), (("user", "bahram"),))
UNITS = (None, "muni-a", "muni-b", "gov")
ESCALATED = (None, "clerk", "manager")
CASE_UNITS = (None, "muni-a", "muni-b")
PEOPLE = ("ali", "sara", "bahram", "mina", "reza")


def seed(platform: Platform, clock: FixedClock) -> list[str]:
    """One task per combination (900), each in a case of its own unit."""
    [version] = platform.deploy(bundle("review"), actor="admin")
    now, cases, tasks, candidates, ids = clock.now(), [], [], [], []
    combos = itertools.product(HOLDERS, CANDIDATES, UNITS, ESCALATED, CASE_UNITS)
    for i, (holder, offered, unit, escalated, case_unit) in enumerate(combos):
        case, task = f"case-{i:04d}", f"task-{i:04d}"
        cases.append(_case(case, version.version_id, case_unit, now))
        tasks.append(_task(task, case, holder, unit, escalated, now))
        candidates += [{"task_id": task, "kind": kind, "name": name} for kind, name in offered]
        ids.append(task)
    with platform.store.transaction() as tx:
        tx.execute(insert(Instance), cases)
        tx.execute(insert(TaskRow), tasks)
        tx.execute(insert(TaskCandidate), candidates)
    return ids


def _case(case: str, version_id: int, unit: str | None, now: Any) -> dict[str, Any]:
    return {
        "id": case, "version_id": version_id, "process_key": "review", "business_key": None, "org_unit": unit,
        "status": "running", "revision": 1, "serializer_version": "nz-1", "state": "", "last_seq": 0,
        "last_hash": "0" * 64, "started_by": None, "started_at": now, "updated_at": now,
    }  # fmt: skip


def _task(
    task: str, case: str, holder: str | None, unit: str | None, escalated: str | None, now: Any
) -> dict[str, Any]:
    return {
        "id": task, "instance_id": case, "process_key": "review", "element_id": "draft", "name": task,
        "assignee": holder, "candidate_groups": [], "candidate_users": [], "org_unit": unit, "priority": 50,
        "created_at": now, "referrals": [], "escalated_to": escalated, "escalated_at": now if escalated else None,
    }  # fmt: skip


@pytest.mark.parametrize("near_units", [0, 100], ids=["from the groups", "from the units"])
def test_the_list_and_the_row_agree_on_every_task_for_every_person(
    platform: Platform, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, near_units: int
) -> None:
    monkeypatch.setattr(inbox, "NEAR_UNITS", near_units)  # which side a list reads the offers from
    ids = seed(platform, clock)
    with platform.store.reading() as tx:
        for name in PEOPLE:
            person = directory.person(tx, name)
            listed = {row.id for row in inbox.list_for(tx, person, limit=len(ids))}
            one_case = {
                row.id
                for case in ("case-0007", "case-0450")
                for row in inbox.list_for(tx, person, instance_id=case)
            }
            assert one_case == listed & {"task-0007", "task-0450"}
            acting = {task for task in ids if inbox.task_for(tx, task, person, name=name).may_act}
            assert listed == acting, (name, sorted(listed ^ acting)[:5])
            assert 0 < len(listed) < len(ids)  # the rule decides: each person sees some, not all
