"""What the live cache keeps beside a workflow (engine.commit.Rows: the open task rows and the waiting
BPMN timers) stands in for reading them: with the cache and without it (every step reloads the instance
from the database) the same steps store the same rows. And one walk of the task tree finds what the two
separate walks found."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import service_tasks
from engine.spiff import workflow
from tests.support.stored import built, dump, only, scenario


@pytest.fixture(autouse=True)
def stamp() -> Iterator[None]:
    service_tasks.handler("test.stamp")(lambda ctx: {"letter_no": "L-1"})
    yield
    service_tasks.unregister("test.stamp")


def test_cached_and_reloaded_steps_store_the_same_rows(tmp_path: Path) -> None:
    cached, reloaded = built(tmp_path, "cached"), built(tmp_path, "reloaded")
    reloaded.runtime.live._size = 0  # every step loads the workflow and reads its task rows

    scenario(cached)
    scenario(reloaded)

    assert dump(cached) == dump(reloaded)
    assert all(v.ok for v in reloaded.verify_all())
    for p in (cached, reloaded):
        p.store.dispose()


def test_one_walk_finds_the_ready_human_tasks_and_the_waiting_timers(tmp_path: Path) -> None:
    platform = built(tmp_path, "p")
    started = platform.start("review", {}, actor="ali")
    done = platform.complete(only(platform, "ali", started.instance_id), {"amount": 5000}, actor="ali")
    wf = platform.runtime.live.take(started.instance_id, done.revision)

    ready, timers = workflow.open_work(wf)

    assert ready == workflow.ready_human_tasks(wf) and [t.element_id for t in ready] == ["approve"]
    assert timers == workflow.waiting_timers(wf) and [t.element_id for t in timers] == ["sla"]
    platform.store.dispose()
