"""A whole approval over the JSON API: deploy → start → tasks → claim → complete → history → verify."""

from __future__ import annotations

from tests.webui.api_client import APPROVAL, Api, upload


def deploy_and_start(ali: Api) -> str:
    deployed = ali.post("/deployments", data=upload(APPROVAL), content_type="multipart/form-data")
    assert deployed.status_code == 201, deployed.json
    [version] = deployed.json
    assert (version["process_key"], version["version"], version["warnings"]) == ("api_approval", 1, [])
    assert len(version["sha256"]) == 64
    started = ali.post("/processes/api_approval/instances", json={"data": {"amount": 10}})
    assert started.status_code == 201
    instance_id: str = started.json["instance_id"]
    assert started.json == {"instance_id": instance_id, "status": "running"}
    return instance_id


def test_an_approval_runs_end_to_end_over_the_api(api: Api) -> None:
    ali, mina = api.as_("ali"), api.as_("mina")
    instance_id = deploy_and_start(ali)

    request = ali.task_of(instance_id)
    assert (request["element_id"], request["candidate_groups"], request["assignee"]) == (
        "request",
        ["clerk"],
        None,
    )
    claimed = ali.post(f"/tasks/{request['id']}/claim")
    assert claimed.status_code == 200 and claimed.json["status"] == "running"
    assert ali.task_of(instance_id)["assignee"] == "ali"
    done = ali.post(f"/tasks/{request['id']}/complete", json={"data": {"amount": 10, "subject": "لوازم"}})
    assert done.status_code == 200 and done.json == {"instance_id": instance_id, "status": "running"}

    approve = mina.task_of(instance_id)
    assert approve["element_id"] == "approve"
    revision = mina.get(f"/instances/{instance_id}").json["revision"]
    finished = mina.post(
        f"/tasks/{approve['id']}/complete", json={"data": {"approved": True}, "expected_rev": revision}
    )
    assert finished.status_code == 200 and finished.json["status"] == "completed"
    assert_recorded(ali, instance_id)


def assert_recorded(api: Api, instance_id: str) -> None:
    record = api.get(f"/instances/{instance_id}").json
    assert (record["status"], record["started_by"], record["org_unit"]) == ("completed", "ali", "muni-a")
    kinds = [e["kind"] for e in api.get(f"/instances/{instance_id}/history").json]
    assert kinds[0] == "started" and kinds[-1] == "instance_completed"
    assert {"task_ready", "claimed", "completed"} <= set(kinds)
    assert kinds.count("completed") == 2
    for method in (api.get, api.post):
        verdict = method(f"/instances/{instance_id}/verify")
        assert verdict.status_code == 200
        expected = {"instance_id": instance_id, "ok": True, "events": len(kinds), "findings": []}
        assert {k: verdict.json[k] for k in expected} == expected


def test_the_completed_data_is_recorded_with_its_actor(api: Api, started: str) -> None:
    ali = api.as_("ali")
    task = ali.task_of(started)
    ali.post(f"/tasks/{task['id']}/complete", json={"data": {"amount": 12}})
    [completed] = [e for e in ali.get(f"/instances/{started}/history").json if e["kind"] == "completed"]
    assert (completed["actor"], completed["task_id"]) == ("ali", task["id"])
    assert completed["data"] == {"submitted": {"amount": 12}}


def test_a_business_key_is_kept_on_the_instance(api: Api, deployed: str) -> None:
    ali = api.as_("ali")
    started = ali.post(f"/processes/{deployed}/instances", json={"data": {}, "business_key": "1404-017"})
    assert started.status_code == 201
    assert ali.get(f"/instances/{started.json['instance_id']}").json["business_key"] == "1404-017"


def test_a_start_without_a_body_starts_with_no_data(api: Api, deployed: str) -> None:
    started = api.as_("ali").post(f"/processes/{deployed}/instances")
    assert started.status_code == 201 and started.json["status"] == "running"


def test_unclaim_gives_the_task_back_to_the_group(api: Api, started: str) -> None:
    ali = api.as_("ali")
    task = ali.task_of(started)
    ali.post(f"/tasks/{task['id']}/claim")
    assert api.as_("sara").get("/tasks", query_string={"instance": started}).json == []
    released = ali.post(f"/tasks/{task['id']}/unclaim")
    assert released.status_code == 200 and released.json == {"instance_id": started, "status": "running"}
    assert api.as_("sara").task_of(started)["assignee"] is None


def test_tasks_list_only_what_the_user_may_work(api: Api, started: str) -> None:
    assert [t["instance_id"] for t in api.as_("sara").get("/tasks").json] == [started]
    assert api.as_("mina").get("/tasks").json == []
    assert api.as_("reza").get("/tasks").json == []


def test_cancel_ends_the_instance_and_removes_its_tasks(api: Api, started: str) -> None:
    ali = api.as_("ali")
    cancelled = ali.post(f"/instances/{started}/cancel")
    assert cancelled.status_code == 200 and cancelled.json == {"instance_id": started, "status": "cancelled"}
    assert ali.get("/tasks", query_string={"instance": started}).json == []
    assert ali.get(f"/instances/{started}").json["status"] == "cancelled"
    assert ali.get(f"/instances/{started}/verify").json["ok"] is True


def test_refer_and_return_over_the_api(api: Api) -> None:
    ali, sara = api.as_("ali"), api.as_("sara")
    instance_id = deploy_and_start(ali)
    request = ali.task_of(instance_id)
    referred = ali.post(f"/tasks/{request['id']}/refer", json={"to_user": "sara", "note": "بررسی شود"})
    assert referred.status_code == 200 and referred.json == {"instance_id": instance_id, "status": "running"}
    held = sara.task_of(instance_id)
    assert (held["assignee"], held["referred_by"]) == ("sara", "ali")
    unknown = sara.post(f"/tasks/{request['id']}/return", json={"note": "x", "to": "ali"})
    assert unknown.status_code == 400 and unknown.json["code"] == "invalid_input"
    back = sara.post(f"/tasks/{request['id']}/return", json={"note": "ناقص"})
    assert back.status_code == 200 and ali.task_of(instance_id)["assignee"] == "ali"
    again = ali.post(f"/tasks/{request['id']}/return")
    assert again.status_code == 409
