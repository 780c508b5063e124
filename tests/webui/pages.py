"""Test helpers for the HTML pages: a test client that signs in and sends CSRF tokens like a browser."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from tests.webui.demo_site import PASSWORD

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


class Pages:
    """One person's browser session on the test client: ``Pages(client).sign_in("expert_1")``."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self._token: str | None = None

    def sign_in(self, user: str, password: str = PASSWORD, **extra: str) -> TestResponse:
        token = csrf_token(self.client.get("/signin").get_data(as_text=True))
        response = self.client.post(
            "/signin", data={"user_name": user, "password": password, "csrf_token": token, **extra}
        )
        self._token = None  # a new session gets a new token
        return response

    def token(self) -> str:
        if self._token is None:
            self._token = csrf_token(self.client.get("/signin").get_data(as_text=True))
        return self._token

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, **kwargs)

    def html(self, path: str, **kwargs: Any) -> str:
        response = self.client.get(path, **kwargs)
        assert response.status_code == 200, (path, response.status_code, response.headers.get("Location"))
        return response.get_data(as_text=True)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> TestResponse:
        """POST with the session's CSRF token (``data`` may be a dict or a list of pairs)."""
        pairs = list(data.items()) if isinstance(data, dict) else list(data or [])
        return self.client.post(path, data=MultiDict([*pairs, ("csrf_token", self.token())]), **kwargs)
