"""Referral (ارجاع) by hand: to a person (or their delegate) or a unit, with a note; return to the
referrer; the chain is kept on the task and in the history; wrong users and bad input change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from engine.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from engine.platform import Platform
from engine.store.models import HistoryEvent
from tests.conftest import bundle


@pytest.fixture
def task(platform: Platform) -> dict[str, object]:
    platform.deploy(bundle("two_steps"), actor="admin")
    started = platform.start("two_steps", {}, actor="ali")
    (first,) = platform.tasks("ali", instance_id=started.instance_id)
    platform.claim(first["id"], actor="ali")
    return first


def held(platform: Platform, user: str, task_id: str) -> dict[str, object]:
    (row,) = [t for t in platform.tasks(user) if t["id"] == task_id]
    return row


def history_count(platform: Platform) -> int:
    with platform.store.reading() as tx:
        return int(tx.scalar(select(func.count()).select_from(HistoryEvent)))


def test_refer_to_a_colleague_with_a_note_then_return(platform: Platform, task: dict[str, object]) -> None:
    platform.refer(task["id"], actor="ali", to_user="sara", note="لطفاً بررسی شود")
    row = held(platform, "sara", task["id"])
    assert row["assignee"] == "sara" and row["referred_by"] == "ali"
    assert [(s["from"], s["to"], s["note"]) for s in row["referrals"]] == [("ali", "sara", "لطفاً بررسی شود")]
    assert platform.tasks("ali", instance_id=task["instance_id"]) == []

    platform.give_back(task["id"], actor="sara", note="مدارک ناقص است")
    row = held(platform, "ali", task["id"])
    assert row["assignee"] == "ali" and row["referred_by"] is None
    events = [e for e in platform.history(task["instance_id"]) if e["kind"] in ("referred", "returned")]
    assert [(e["kind"], e["actor"], e["data"]["to"]) for e in events] == [
        ("referred", "ali", "sara"),
        ("returned", "sara", "ali"),
    ]
    assert events[1]["data"]["note"] == "مدارک ناقص است"


def test_a_chain_of_referrals_returns_step_by_step(platform: Platform, task: dict[str, object]) -> None:
    platform.refer(task["id"], actor="ali", to_user="sara")
    platform.refer(task["id"], actor="sara", to_user="mina")
    platform.give_back(task["id"], actor="mina")
    assert held(platform, "sara", task["id"])["referred_by"] == "ali"
    platform.give_back(task["id"], actor="sara")
    assert held(platform, "ali", task["id"])["assignee"] == "ali"
    with pytest.raises(InvalidTransition):
        platform.give_back(task["id"], actor="ali")  # nobody referred it to ali


def test_referral_to_an_absent_user_goes_to_their_delegate(
    platform: Platform, task: dict[str, object], clock
) -> None:
    now = clock.now()
    platform.add_absence(
        "sara", delegate="mina", starts_at=now, ends_at=now + dt.timedelta(days=2), note="مرخصی"
    )
    platform.refer(task["id"], actor="ali", to_user="sara", note="فوری")
    row = held(platform, "mina", task["id"])
    assert row["assignee"] == "mina"
    assert row["referrals"][-1]["delegated_from"] == ["sara"]
    (event,) = [e for e in platform.history(task["instance_id"]) if e["kind"] == "referred"]
    assert event["data"] == {"to": "mina", "note": "فوری", "delegated_from": ["sara"]}


def test_refer_to_a_unit_puts_the_task_in_that_units_pool(
    platform: Platform, task: dict[str, object]
) -> None:
    platform.refer(task["id"], actor="ali", to_unit="muni-b", note="مربوط به شهرداری ب")
    row = held(platform, "bahram", task["id"])
    assert row["assignee"] is None and row["org_unit"] == "muni-b"
    assert platform.tasks("sara", instance_id=task["instance_id"]) == []


@pytest.mark.parametrize(
    ("actor", "kwargs", "error"),
    [
        ("sara", {"to_user": "mina"}, Forbidden),  # ali holds it
        ("bahram", {"to_user": "mina"}, Forbidden),
        ("ali", {"to_user": "nobody"}, NotFound),
        ("ali", {"to_unit": "atlantis"}, NotFound),
        ("ali", {"to_user": "ali"}, InvalidInput),
        ("ali", {}, InvalidInput),
        ("ali", {"to_user": "sara", "to_unit": "muni-a"}, InvalidInput),
        ("ali", {"to_user": "sara", "note": "x" * 2001}, InvalidInput),
    ],
)
def test_bad_referrals_are_refused_and_change_nothing(
    platform: Platform, task: dict[str, object], actor: str, kwargs: dict[str, str], error: type
) -> None:
    before = (history_count(platform), held(platform, "ali", task["id"]))
    with pytest.raises(error):
        platform.refer(task["id"], actor=actor, **kwargs)
    assert (history_count(platform), held(platform, "ali", task["id"])) == before


def test_only_the_holder_may_return_a_task(platform: Platform, task: dict[str, object]) -> None:
    platform.refer(task["id"], actor="ali", to_user="sara")
    with pytest.raises(Forbidden):
        platform.give_back(task["id"], actor="ali")
    assert held(platform, "sara", task["id"])["assignee"] == "sara"


def test_the_referred_clerk_can_complete_and_the_chain_is_verified(
    platform: Platform, task: dict[str, object]
) -> None:
    platform.refer(task["id"], actor="ali", to_user="sara")
    platform.complete(task["id"], {}, actor="sara")
    assert platform.verify(task["instance_id"]).ok


def test_bad_absences_are_refused(platform: Platform, clock) -> None:
    now = clock.now()
    with pytest.raises(InvalidInput):
        platform.add_absence("ali", delegate="ali", starts_at=now, ends_at=now + dt.timedelta(days=1))
    with pytest.raises(InvalidInput):
        platform.add_absence("ali", delegate="sara", starts_at=now, ends_at=now)
    with pytest.raises(NotFound):
        platform.add_absence("ali", delegate="ghost", starts_at=now, ends_at=now + dt.timedelta(days=1))
    with pytest.raises(InvalidInput):
        platform.add_absence("ali", delegate="sara", starts_at="tomorrow", ends_at=now)
