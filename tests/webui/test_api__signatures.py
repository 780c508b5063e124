"""A signature step over the API: the DER signature travels as base64 beside the data; a missing or
malformed one is a 400 in the shared error shape and nothing moves."""

from __future__ import annotations

import base64
from pathlib import Path

from engine.platform import Platform
from tests.handlers import test_signing__steps as steps
from tests.handlers.test_signing__steps import DECISION, open_task, sign, snapshot
from webui import create_app
from webui.auth import issue_token

pki, platform = steps.pki, steps.platform  # the signing fixtures: demo CA keys, the signed_decision bundle


def post_complete(platform: Platform, task_id: str, body: dict) -> tuple[int, dict]:
    client = create_app({"TESTING": True}, platform=platform).test_client()
    headers = {"Authorization": f"Bearer {issue_token(platform, 'mina')}"}
    response = client.post(f"/api/v1/tasks/{task_id}/complete", json=body, headers=headers)
    return response.status_code, response.json


def test_a_signature_step_completes_over_the_api_with_a_base64_signature(
    platform: Platform, pki: Path
) -> None:
    task = open_task(platform)
    signature = sign(platform, pki, task, DECISION, key_of="mina")

    code, body = post_complete(
        platform, str(task["id"]), {"data": DECISION, "signature": base64.b64encode(signature).decode()}
    )

    assert (code, body["status"]) == (200, "completed")
    assert "signed" in [e["kind"] for e in platform.history(body["instance_id"])]


def test_a_missing_or_malformed_signature_is_a_400_and_nothing_moves(platform: Platform) -> None:
    task = open_task(platform)
    before = snapshot(platform, task)

    missing = post_complete(platform, str(task["id"]), {"data": DECISION})
    malformed = post_complete(platform, str(task["id"]), {"data": DECISION, "signature": "not base64!"})

    assert missing[0] == 400 and "امضای دیجیتال" in missing[1]["error"]
    assert malformed[0] == 400 and "base64" in malformed[1]["error"]
    assert snapshot(platform, task) == before
