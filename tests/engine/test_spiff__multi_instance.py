"""A Camunda multi-instance task over a collection updates the collection in place, whether its steps run
in the process that started it or each in a freshly started one (as `run.py` calls and restarted web
workers do). It used to depend on which: SpiffWorkflow wires the collection in as input on the shared
spec only when a process first starts the task, and a process that loaded the spec later appended each
output to the collection instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.clock import FixedClock
from engine.platform import Platform
from tests.conftest import add_people, bundle, make_platform


def run_per_unit(url: str, data_dir: Path, clock: FixedClock, *, fresh_each_step: bool) -> object:
    first = make_platform(url, data_dir, clock)
    with first.store.transaction() as tx:
        add_people(tx)
    first.deploy(bundle("per_unit"), actor="admin")
    started = first.start("per_unit", {"units": ["muni-a", "muni-b"]}, actor=None)
    platform: Platform = first
    for user in ("ali", "bahram"):
        if fresh_each_step:  # a new process: specs and workflows are loaded from the database
            platform.store.dispose()
            platform = make_platform(url, data_dir, clock)
        (task,) = platform.tasks(user, instance_id=started.instance_id)
        platform.complete(str(task["id"]), {"note": user}, actor=user)
    final = platform.history(started.instance_id)[-1]
    platform.store.dispose()
    assert final["kind"] == "instance_completed"
    return final["data"]["data"]["units"]


@pytest.mark.parametrize("fresh_each_step", [False, True], ids=["one process", "a process per step"])
def test_the_collection_is_updated_in_place(
    db_url: str, tmp_path: Path, clock: FixedClock, fresh_each_step: bool
) -> None:
    units = run_per_unit(db_url, tmp_path, clock, fresh_each_step=fresh_each_step)

    assert units == ["muni-a", "muni-b"]
