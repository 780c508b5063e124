"""Test helpers for the JSON API: a client speaking as one user, bundle uploads, the error-shape check."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

BUNDLES = Path(__file__).resolve().parents[1] / "data" / "bundles"
APPROVAL = BUNDLES / "api_approval"


class Api:
    """The test client speaking JSON as one user: ``api.as_("ali").post("/tasks/…/claim")``."""

    def __init__(self, client: FlaskClient, tokens: dict[str, str], user: str | None = None) -> None:
        self.client, self.tokens, self.user = client, tokens, user

    def as_(self, user: str) -> Api:
        return Api(self.client, self.tokens, user)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[self.user]}"} if self.user else {}

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get("/api/v1" + path, headers=self.headers(), **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.client.post("/api/v1" + path, json=json, headers=self.headers(), **kwargs)

    def task_of(self, instance_id: str) -> dict[str, Any]:
        """The one task of ``instance_id`` this user sees."""
        response = self.get("/tasks", query_string={"instance": instance_id})
        assert response.status_code == 200, response.json
        [task] = response.json
        return dict(task)


def upload(bundle: Path, *, bpmn: bytes | None = None) -> dict[str, Any]:
    """Multipart fields for POST /deployments: the bundle's process.bpmn (or ``bpmn``) and its forms."""
    forms = [(io.BytesIO(p.read_bytes()), p.name) for p in sorted((bundle / "forms").glob("*.json"))]
    body = bpmn if bpmn is not None else (bundle / "process.bpmn").read_bytes()
    return {"file": (io.BytesIO(body), "process.bpmn"), "forms": forms}


def assert_error(response: TestResponse, status: int, code: str) -> dict[str, Any]:
    """The response is the one JSON error shape with this status and code, and shows no traceback."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = dict(response.json)
    assert {"ok", "code", "error", "status"} <= set(body)
    assert (body["ok"], body["code"], body["status"]) == (False, code, status)
    assert isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body
