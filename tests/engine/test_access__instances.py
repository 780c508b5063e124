"""Who sees a whole instance: its starter, people named in its history, its unit and the units above,
administrators and auditors — and nobody else, who is told it does not exist."""

from __future__ import annotations

import pytest

from engine import directory
from engine.errors import NotFound
from engine.platform import Platform
from tests.conftest import bundle


@pytest.fixture
def started(platform: Platform) -> str:
    platform.deploy(bundle("review"))
    with platform.store.transaction() as tx:
        directory.add_user(tx, "auditor1", groups=["auditor"], unit="muni-b")
    return platform.start("review", {}, actor="ali").instance_id


@pytest.mark.parametrize("who", ["ali", "sara", "mina", "reza", "auditor1"])
def test_these_people_see_the_instance(platform: Platform, started: str, who: str) -> None:
    assert platform.instance(started, actor=who)["instance_id"] == started
    assert platform.history(started, actor=who)[0]["kind"] == "started"
    assert platform.verify(started, actor=who).ok


def test_a_clerk_of_another_municipality_is_told_it_does_not_exist(platform: Platform, started: str) -> None:
    for read in (platform.instance, platform.history, platform.verify):
        with pytest.raises(NotFound):
            read(started, actor="bahram")
    with pytest.raises(NotFound):
        platform.cancel(started, actor="bahram")
    assert platform.instance(started)["status"] == "running"
