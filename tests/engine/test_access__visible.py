"""``access.visible`` is ``may_view`` as a WHERE clause: for every person and every instance, the search
finds exactly the instances that opening one by id allows."""

from __future__ import annotations

import datetime as dt

import pytest

from engine import directory
from engine.clock import FixedClock
from engine.errors import NotFound
from engine.instance_search import Criteria
from engine.platform import Platform
from tests.conftest import bundle

PEOPLE = ("ali", "sara", "bahram", "mina", "reza", "auditor1", "admin1", "nobody")


@pytest.fixture
def cases(platform: Platform, clock: FixedClock) -> list[str]:
    """Cases of muni-a (by ali), muni-b (by bahram), the governorate (by reza), and one started by the
    operator with no unit; sara claims ali's, so the history names her."""
    platform.deploy(bundle("review"))
    with platform.store.transaction() as tx:
        directory.add_user(tx, "auditor1", groups=["auditor"], unit="muni-b")
        directory.add_user(tx, "admin1", groups=["admin"], unit=None)
        directory.add_user(tx, "nobody", groups=["clerk"], unit=None)
    ids = [platform.start("review", {}, actor=who).instance_id for who in ("ali", "bahram", "reza")]
    ids.append(platform.runtime.start("review", {}, actor=None).instance_id)
    clock.set(clock.now() + dt.timedelta(minutes=5))
    [task] = platform.tasks("sara", instance_id=ids[0])
    platform.claim(task["id"], actor="sara")
    return ids


def may_open(platform: Platform, instance_id: str, who: str) -> bool:
    try:
        platform.instance(instance_id, actor=who)
    except NotFound:
        return False
    return True


@pytest.mark.parametrize("who", PEOPLE)
def test_the_search_finds_exactly_what_the_person_may_open(
    platform: Platform, cases: list[str], who: str
) -> None:
    found = {i["instance_id"] for i in platform.search_instances(Criteria(size=100), actor=who)["instances"]}
    assert found == {i for i in cases if may_open(platform, i, who)}


def test_a_clerk_of_another_municipality_finds_nothing_of_muni_a(
    platform: Platform, cases: list[str]
) -> None:
    found = platform.search_instances(Criteria(size=100), actor="bahram")
    assert [i["instance_id"] for i in found["instances"]] == [cases[1]] and found["total"] == 1
    assert platform.search_instances(Criteria(size=100), actor="auditor1")["total"] == len(cases)
