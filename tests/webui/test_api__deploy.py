"""POST /api/v1/deployments: a multipart upload of one bundle, checked before anything is stored."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engine.clock import FixedClock
from engine.platform import Platform
from engine.store.models import ProcessVersion
from tests.webui.api_client import APPROVAL, Api, assert_error, upload
from tests.webui.organisation import build_platform
from webui import create_app
from webui.auth import issue_token

MULTIPART = "multipart/form-data"


def versions(platform: Platform) -> int:
    with platform.store.reading() as tx:
        return int(tx.scalar(select(func.count()).select_from(ProcessVersion)) or 0)


def test_the_same_bundle_twice_is_one_version(api: Api, platform: Platform) -> None:
    first = api.as_("ali").post("/deployments", data=upload(APPROVAL), content_type=MULTIPART)
    again = api.as_("ali").post("/deployments", data=upload(APPROVAL), content_type=MULTIPART)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json == again.json
    assert versions(platform) == 1


def test_a_changed_bundle_is_a_new_version_deployed_by_the_token_user(api: Api, platform: Platform) -> None:
    api.as_("ali").post("/deployments", data=upload(APPROVAL), content_type=MULTIPART)
    changed = (APPROVAL / "process.bpmn").read_bytes().replace("تأیید مدیر".encode(), "تأیید معاون".encode())
    second = api.as_("mina").post("/deployments", data=upload(APPROVAL, bpmn=changed), content_type=MULTIPART)
    assert second.status_code == 201 and second.json[0]["version"] == 2
    with platform.store.reading() as tx:
        row = tx.scalar(select(ProcessVersion).where(ProcessVersion.version == 2))
        assert row is not None and row.deployed_by == "mina"


def test_a_refused_definition_is_400_with_its_nz_code_and_stores_nothing(
    api: Api, platform: Platform
) -> None:
    data = upload(APPROVAL)
    data["forms"] = [f for f in data["forms"] if f[1] != "approve.json"]
    refused = api.as_("ali").post("/deployments", data=data, content_type=MULTIPART)
    body = assert_error(refused, 400, "definition_invalid")
    assert body["error"].startswith("NZ102 ") and "approve.json" in body["error"]
    assert [d["code"] for d in body["details"] if d["severity"] == "error"] == ["NZ102"]
    assert (body["file"], body["element"]) == ("process.bpmn", "approve")
    assert "nezarat-upload" not in refused.get_data(as_text=True)
    assert versions(platform) == 0


def test_xml_that_is_not_bpmn_is_refused(api: Api, platform: Platform) -> None:
    data = {"file": (io.BytesIO(b"<not-closed"), "broken.bpmn")}
    body = assert_error(
        api.as_("ali").post("/deployments", data=data, content_type=MULTIPART), 400, "definition_invalid"
    )
    assert body["error"].startswith("NZ")
    assert (body["file"], body["line"]) == ("broken.bpmn", 1)
    assert versions(platform) == 0


def test_warnings_name_the_uploaded_file_not_the_temporary_folder(api: Api) -> None:
    bpmn_only = {"file": (io.BytesIO((APPROVAL / "process.bpmn").read_bytes()), "approval.bpmn")}
    response = api.as_("ali").post("/deployments", data=bpmn_only, content_type=MULTIPART)
    assert response.status_code in (201, 400), response.json
    text = response.get_data(as_text=True)
    assert "approval.bpmn" in text and "nezarat-upload" not in text


def test_an_upload_without_a_file_is_400(api: Api) -> None:
    response = api.as_("ali").post("/deployments", data={"other": "x"}, content_type=MULTIPART)
    assert "'file'" in assert_error(response, 400, "invalid_input")["error"]


def test_a_form_with_an_unsafe_name_is_400(api: Api, platform: Platform) -> None:
    data = upload(APPROVAL)
    data["forms"].append((io.BytesIO(b"{}"), "../../etc/passwd.json"))
    data["forms"].append((io.BytesIO(b"{}"), "..\\evil name.json"))
    response = api.as_("ali").post("/deployments", data=data, content_type=MULTIPART)
    assert_error(response, 400, "invalid_input")
    assert versions(platform) == 0


class Untouchable(io.RawIOBase):
    """A request body of ``size`` bytes that fails the test if anyone reads it (seeking only measures it)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size, self.position = size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = base + offset
        return self.position

    def readinto(self, buffer: object) -> int:
        raise AssertionError("the body was read")


@pytest.fixture
def small(tmp_path: Path, clock: FixedClock) -> Iterator[tuple[FlaskClient, str, Platform]]:
    platform = build_platform(tmp_path, clock, max_bpmn_bytes="1000")
    app = create_app({"TESTING": True}, platform=platform)
    yield app.test_client(), issue_token(platform, "ali"), platform
    platform.store.dispose()


def test_an_oversized_request_is_413_before_its_body_is_read(
    small: tuple[FlaskClient, str, Platform],
) -> None:
    client, token, platform = small
    response = client.post(
        "/api/v1/deployments",
        input_stream=Untouchable(50 * 1024 * 1024),
        content_type="multipart/form-data; boundary=x",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert "limit" in assert_error(response, 413, "too_large")["error"]
    assert versions(platform) == 0


def test_a_bpmn_over_the_setting_is_413(small: tuple[FlaskClient, str, Platform]) -> None:
    client, token, platform = small
    response = client.post(
        "/api/v1/deployments",
        data=upload(APPROVAL),
        content_type=MULTIPART,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert "1000 bytes" in assert_error(response, 413, "too_large")["error"]
    assert versions(platform) == 0
