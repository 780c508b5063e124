"""Changes to who holds a task — claim, unclaim, refer (ارجاع), return — that leave the workflow as it is.

Each function checks, updates the task row, and returns the history event; the runtime writes it with
the instance's next revision in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from engine import directory, inbox, referral
from engine.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from engine.history import Event
from engine.store.models import Unit

MAX_NOTE = 2000


def claim(tx: Session, row: Any, person: directory.Person, now: dt.datetime) -> Event:
    inbox.check_may_act(tx, person, row)
    if row.assignee == person.name:
        raise InvalidTransition(f"task {row.id} is already claimed by {person.name}")
    inbox.assign(tx, row.id, person.name)
    return Event("claimed", person.name, row.element_id, row.id)


def unclaim(tx: Session, row: Any, person: directory.Person, now: dt.datetime) -> Event:
    if row.assignee != person.name:
        raise Forbidden(f"task {row.id} is not claimed by {person.name}")
    inbox.change(tx, row.id, assignee=None, referred_by=None)
    return Event("unclaimed", person.name, row.element_id, row.id)


def refer(
    tx: Session,
    row: Any,
    person: directory.Person,
    now: dt.datetime,
    *,
    to_user: str | None,
    to_unit: str | None,
    note: str | None,
) -> Event:
    """Give the task to a person (their delegate when they are away) or to a unit's pool, with a note."""
    inbox.check_may_act(tx, person, row)
    if (to_user is None) == (to_unit is None):
        raise InvalidInput("refer a task either to a person or to a unit")
    step: dict[str, Any] = {
        "kind": "refer",
        "from": person.name,
        "note": clean_note(note),
        "at": now.isoformat(),
    }
    if to_user is not None:
        directory.person(tx, to_user)
        target, passed = referral.delegate_of(tx, to_user, now)
        if target == person.name:
            raise InvalidInput("you cannot refer a task to yourself")
        step["to"] = target
        if passed:
            step["delegated_from"] = passed
        inbox.change(tx, row.id, assignee=target, referred_by=person.name, referrals=[*row.referrals, step])
    else:
        if tx.get(Unit, to_unit) is None:
            raise NotFound(f"unit '{to_unit}' does not exist")
        step["to_unit"] = to_unit
        inbox.change(
            tx, row.id, assignee=None, referred_by=None, org_unit=to_unit, referrals=[*row.referrals, step]
        )
    return Event("referred", person.name, row.element_id, row.id, _public(step))


def give_back(
    tx: Session, row: Any, person: directory.Person, now: dt.datetime, *, note: str | None
) -> Event:
    """Return the task to the person who referred it to ``person``."""
    if row.assignee != person.name:
        raise Forbidden(f"task {row.id} is not held by {person.name}, so only its holder may return it")
    target = referral.return_target(list(row.referrals or []), person.name)
    actual, passed = referral.delegate_of(tx, target, now)
    step: dict[str, Any] = {
        "kind": "return",
        "from": person.name,
        "to": actual,
        "note": clean_note(note),
        "at": now.isoformat(),
    }
    if passed:
        step["delegated_from"] = passed
    stack = referral.referrers([*row.referrals, step])
    previous = stack[-1] if stack else None
    inbox.change(tx, row.id, assignee=actual, referred_by=previous, referrals=[*row.referrals, step])
    return Event("returned", person.name, row.element_id, row.id, _public(step))


def clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    if not isinstance(note, str):
        raise InvalidInput("a referral note must be text")
    text = note.strip()
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"a referral note may hold at most {MAX_NOTE} characters")
    return text or None


def _public(step: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in step.items() if k not in ("kind", "from", "at") and v is not None}
