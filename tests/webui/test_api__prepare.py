"""``POST /api/v1/tasks/<id>/approval``: the bytes a signature step signs, for a token on the clerk's PC.

They are exactly what completion verifies (signing them is enough to complete), the data in them is the
form's normalised data, and the endpoint is scoped like completion: someone who may not act is refused,
another municipality's task is not found, and nothing moves.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from flask.testing import FlaskClient

from engine.platform import Platform
from signatures import cms, keystore
from signatures.demo import DEMO_PASSWORD
from tests.handlers import test_signing__steps as steps
from tests.handlers.test_signing__steps import DECISION, open_task, snapshot
from tests.webui.api_client import Api, assert_error
from tests.webui.demo_site import Seeded
from webui import create_app
from webui.auth import issue_token

Demo = tuple[Platform, Seeded]
pki, platform = steps.pki, steps.platform  # demo CA keys for mina, ali, reza; the signed_decision bundle


def client_of(platform: Platform, *users: str) -> Api:
    client: FlaskClient = create_app({"TESTING": True}, platform=platform).test_client()
    return Api(client, {user: issue_token(platform, user) for user in users})


def test_the_prepared_bytes_are_exactly_what_completion_verifies(platform: Platform, pki: Path) -> None:
    task = open_task(platform)
    api = client_of(platform, "mina").as_("mina")
    typed = {**DECISION, "amount": "۱٬۵۰۰٬۰۰۰٬۰۰۰"}  # as a clerk types it; the form makes it 1500000000

    prepared = api.post(f"/tasks/{task['id']}/approval", json={"data": typed})

    assert prepared.status_code == 200, prepared.json
    content = base64.b64decode(prepared.json["data"])
    assert hashlib.sha256(content).hexdigest() == prepared.json["sha256"]
    document = json.loads(content)
    assert document["actor"] == "mina" and document["task_id"] == task["id"]
    assert document["decision"]["amount"] == 1_500_000_000
    assert "mina" in prepared.json["summary"] and prepared.json["instance_id"] == task["instance_id"]
    key = keystore.software_signer(keystore.load_pkcs12(pki / "users" / "mina.p12", DEMO_PASSWORD))
    signature = cms.sign_detached(content, key, clock=platform.clock)  # as a token would: these bytes only
    done = api.post(
        f"/tasks/{task['id']}/complete",
        json={"data": typed, "signature": base64.b64encode(signature).decode()},
    )
    assert (done.status_code, done.json["status"]) == (200, "completed"), done.json


def test_data_the_form_refuses_is_refused_before_anything_is_signed(platform: Platform) -> None:
    task = open_task(platform)
    api = client_of(platform, "mina").as_("mina")

    refused = api.post(f"/tasks/{task['id']}/approval", json={"data": {**DECISION, "amount": "lots"}})

    body = assert_error(refused, 400, "validation_failed")
    assert any(d.get("path") == "amount" for d in body.get("details", [])), body


def test_someone_who_may_not_act_on_the_task_is_refused_and_nothing_moves(platform: Platform) -> None:
    task = open_task(platform)
    before = snapshot(platform, task)

    refused = (
        client_of(platform, "ali").as_("ali").post(f"/tasks/{task['id']}/approval", json={"data": DECISION})
    )

    assert refused.status_code in (403, 404)
    assert_error(refused, refused.status_code, "forbidden" if refused.status_code == 403 else "not_found")
    assert snapshot(platform, task) == before


def test_another_municipalitys_task_is_not_found(demo: Demo) -> None:
    platform, seeded = demo
    api = client_of(platform, "mayor_b").as_("mayor_b")

    response = api.post(f"/tasks/{seeded.muni_a_task}/approval", json={"data": {}})

    assert_error(response, 404, "not_found")
