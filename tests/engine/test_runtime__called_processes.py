"""Tasks of a called process — in the same file or another bundle — reach the inbox with their own
candidate groups and forms, and a process marked not startable from the tasklist cannot be started by hand."""

from __future__ import annotations

import pytest

from engine.errors import Forbidden
from engine.platform import Platform
from tests.conftest import bundle


@pytest.fixture
def deployed(platform: Platform) -> Platform:
    platform.deploy(bundle("called_review"), actor="admin")
    platform.deploy(bundle("calling_case"), actor="admin")
    return platform


def test_each_called_task_carries_its_own_group_and_form(deployed: Platform) -> None:
    started = deployed.start("calling_case", {}, actor="ali")
    seen: list[tuple[str, list[str], str | None]] = []
    for user in ("ali", "reza", "mina"):
        for _ in range(2):
            mine = deployed.tasks(user, instance_id=started.instance_id)
            if not mine:
                break
            (task,) = mine
            seen.append((str(task["element_id"]), list(task["candidate_groups"]), task["form"]))
            deployed.complete(str(task["id"]), {}, actor=user)  # this platform has no form validator
    groups = {element: (groups, form) for element, groups, form in seen}
    assert any(g == ["manager"] and f == "called_review/check.json" for g, f in groups.values()), seen
    assert any(g == ["expert"] for g, _ in groups.values()), seen
    assert deployed.instance(started.instance_id)["status"] == "completed"


def test_a_process_that_is_only_called_cannot_be_started_by_hand(deployed: Platform) -> None:
    with pytest.raises(Forbidden, match="not started by hand"):
        deployed.start("called_review", {}, actor="mina")
    # isStartableInTasklist is about people's task lists; the operator (no actor) still can, e.g. to test
    assert deployed.start("called_review", {}, actor=None).status == "running"


def test_tasks_of_an_embedded_subprocess_keep_their_own_group_and_unit(platform: Platform) -> None:
    # Camunda's parser runs an embedded subProcess with the same class as a callActivity; its tasks
    # must still be found under their own ids, not fall back to the lane's name and the case's unit.
    platform.deploy(bundle("per_unit"), actor="admin")
    started = platform.start("per_unit", {"units": ["muni-a", "muni-b"]}, actor=None)
    ali, bahram = (platform.tasks(u, instance_id=started.instance_id) for u in ("ali", "bahram"))
    assert [(t["element_id"], t["candidate_groups"], t["org_unit"]) for t in ali + bahram] == [
        ("fill", ["clerk"], "muni-a"),
        ("fill", ["clerk"], "muni-b"),
    ]
