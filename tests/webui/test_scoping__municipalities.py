"""A user of one municipality can neither see nor act on another municipality's tasks and cases, by page,
by URL or through the API. The mayor of municipality B tries every route on municipality A's audit
request; the mayor of A, doing the same, shows the routes work."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from engine.platform import Platform
from tests.webui.api_client import Api, assert_error
from tests.webui.demo_site import Seeded
from tests.webui.pages import Pages
from webui.auth import issue_token

Demo = tuple[Platform, Seeded]
TASK_POSTS = ["", "/claim", "/unclaim", "/refer", "/return", "/draft"]
FORM = [("audited_year", "1404"), ("bill_no", "1"), ("bill_date", "1404/12/01"), ("_to_user", "mayor_b")]


def untouched(demo: Demo) -> None:
    platform, seeded = demo
    [task] = platform.tasks("mayor_a", instance_id=seeded.muni_a_instance)
    assert (task["id"], task["assignee"], task["referrals"]) == (seeded.muni_a_task, None, [])
    assert [e["kind"] for e in platform.history(seeded.muni_a_instance)] == ["started", "task_ready"]


@pytest.mark.parametrize("path", ["", "/diagram", f"/files/sha256:{'a' * 64}"])
def test_another_municipalitys_task_pages_are_not_found(
    mayor: Callable[[str], Pages], demo: Demo, path: str
) -> None:
    task = demo[1].muni_a_task
    response = mayor("mayor_b").get(f"/tasks/{task}{path}")
    assert response.status_code == 404 and "پیدا نشد" in response.get_data(as_text=True)
    assert mayor("mayor_a").get(f"/tasks/{task}{path}").status_code == (404 if "files" in path else 200)


@pytest.mark.parametrize("action", TASK_POSTS)
def test_another_municipalitys_task_cannot_be_acted_on(
    mayor: Callable[[str], Pages], demo: Demo, action: str
) -> None:
    response = mayor("mayor_b").post(f"/tasks/{demo[1].muni_a_task}{action}", FORM)
    assert response.status_code == 404
    untouched(demo)


def test_another_municipalitys_task_is_in_no_list_count_or_export(
    mayor: Callable[[str], Pages], demo: Demo
) -> None:
    task = demo[1].muni_a_task
    b = mayor("mayor_b")
    row = f'data-task="{task}"'
    for path in ("/inbox", "/inbox?tab=pool", f"/inbox?q={task}", "/inbox?process=audit_review"):
        assert row not in b.html(path)
    assert task not in b.get("/inbox/export.csv").get_data(as_text=True)
    assert '<span class="count">۰</span>' in b.html("/inbox")
    a = mayor("mayor_a")
    assert row in a.html(f"/inbox?q={task}") and task in a.get("/inbox/export.csv").get_data(as_text=True)


def test_bulk_actions_refuse_another_municipalitys_task(mayor: Callable[[str], Pages], demo: Demo) -> None:
    b = mayor("mayor_b")
    b.post("/inbox/claim", [("task", demo[1].muni_a_task)])
    b.post("/inbox/refer", [("task", demo[1].muni_a_task), ("to_user", "mayor_b")])
    assert "flash error" in b.html("/inbox")
    untouched(demo)


def test_the_processes_page_counts_only_ones_own_cases(mayor: Callable[[str], Pages]) -> None:
    def running(clerk: Pages) -> str:
        html = clerk.html("/processes")
        row = html[html.index('<td class="ltr">audit_review</td>') :]
        return row.split("<td>")[3].split("</td>")[0]

    assert running(mayor("mayor_a")) == "۱"
    assert running(mayor("mayor_b")) == "۰"


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/instances/{instance}"),
        ("get", "/instances/{instance}/history"),
        ("get", "/instances/{instance}/verify"),
        ("post", "/instances/{instance}/cancel"),
        ("post", "/tasks/{task}/claim"),
        ("post", "/tasks/{task}/complete"),
        ("post", "/tasks/{task}/refer"),
        ("post", "/tasks/{task}/unclaim"),
        ("post", "/tasks/{task}/return"),
    ],
)
def test_the_api_refuses_another_municipalitys_task_and_case(
    demo_app: Flask, demo: Demo, method: str, path: str
) -> None:
    platform, seeded = demo
    tokens = {name: issue_token(platform, name) for name in ("mayor_a", "mayor_b")}
    api = Api(demo_app.test_client(), tokens)
    url = path.format(instance=seeded.muni_a_instance, task=seeded.muni_a_task)
    body = {"to_user": "mayor_b"} if url.endswith("/refer") else None
    response = getattr(api.as_("mayor_b"), method)(url, **({"json": body} if method == "post" else {}))
    assert response.status_code in (403, 404)
    assert_error(response, response.status_code, "forbidden" if response.status_code == 403 else "not_found")
    untouched(demo)
    assert api.as_("mayor_b").get("/tasks").json == []
    assert [t["id"] for t in api.as_("mayor_a").get("/tasks").json] == [seeded.muni_a_task]
