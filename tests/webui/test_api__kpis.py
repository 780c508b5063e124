"""GET /api/v1/kpis: the user's own unit by default, a unit above theirs refused, bad dates and unknown
units refused in the one error shape, and the body valid against the OpenAPI document's schema."""

from __future__ import annotations

import jsonschema
import pytest

from engine.platform import Platform
from tests.conftest import bundle
from tests.webui.api_client import Api, assert_error
from webui.api import openapi

ON_TIME = {"completed": 1, "on_time": 1, "late": 0, "no_deadline": 0, "sla_compliance_pct": 100.0, "open": 1}


@pytest.fixture
def one_done(platform: Platform, api: Api) -> str:
    """ali (muni-a) started a case and finished its intake in time; the manager's review is open."""
    platform.deploy(bundle("kpi_work"), actor="ali")
    ali = api.as_("ali")
    started = ali.post("/processes/kpi_work/instances", json={"data": {}})
    assert started.status_code == 201, started.json
    instance_id: str = started.json["instance_id"]
    task = ali.task_of(instance_id)
    assert ali.post(f"/tasks/{task['id']}/complete", json={"data": {}}).status_code == 200
    return instance_id


def test_a_clerk_gets_their_units_kpis_as_documented(api: Api, one_done: str) -> None:
    response = api.as_("ali").get("/kpis")
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["unit"], body["period"]["label"]) == ("muni-a", "1404/01/01 – 1404/12/29")
    assert {k: body["tasks"]["total"][k] for k in ON_TIME} == ON_TIME
    document = openapi.document()
    jsonschema.validate(body, document["components"]["schemas"]["Kpis"])
    operation = document["paths"]["/api/v1/kpis"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["from", "to", "unit"]


def test_the_governorate_sees_the_municipality_below_it(api: Api, one_done: str) -> None:
    body = api.as_("reza").get("/kpis").json
    assert body["unit"] == "gov" and [r["unit"] for r in body["tasks"]["by_unit"]] == ["muni-a"]


def test_a_period_with_nothing_done_has_no_percentage(api: Api, one_done: str) -> None:
    body = api.as_("ali").get("/kpis", query_string={"from": "1403/01/01", "to": "1404/01/01"}).json
    assert body["period"]["label"] == "1403/01/01 – 1403/12/30"
    assert (body["tasks"]["total"]["completed"], body["tasks"]["total"]["sla_compliance_pct"]) == (0, None)


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"unit": "gov"}, 403, "forbidden"),
        ({"unit": "nowhere"}, 404, "not_found"),
        ({"from": "1405/13/01"}, 400, "invalid_input"),
        ({"from": "1404/06/01", "to": "1404/01/01"}, 400, "invalid_input"),
    ],
)
def test_refusals_have_the_one_error_shape(api: Api, query: dict[str, str], status: int, code: str) -> None:
    assert_error(api.as_("ali").get("/kpis", query_string=query), status, code)


def test_kpis_need_a_token(api: Api) -> None:
    assert_error(api.get("/kpis"), 401, "unauthorized")
