"""The home page lists deployed processes; HTML pages and error pages are Persian, right to left."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from flask.testing import FlaskClient

from engine.platform import Platform
from tests.webui.api_client import APPROVAL
from webui.home.contexts import ProcessSummary
from webui.home.processes import summaries

RTL = '<html lang="fa" dir="rtl">'


def deploy_second_version(platform: Platform, tmp_path: Path) -> None:
    copy = tmp_path / "api_approval_v2"
    shutil.copytree(APPROVAL, copy)
    bpmn = copy / "process.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace("پایان", "پایان کار"), encoding="utf-8")
    platform.deploy(copy, actor="ali")


def test_the_home_page_lists_processes_with_versions_and_running_counts(
    client: FlaskClient, platform: Platform, deployed: str, tmp_path: Path
) -> None:
    deploy_second_version(platform, tmp_path)
    ids = [platform.start(deployed, {}, actor="ali").instance_id for _ in range(3)]
    platform.cancel(ids[0], actor="ali")
    assert summaries(platform.store) == [ProcessSummary("api_approval", "درخواست و تأیید", 2, 2, 2)]

    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert RTL in html
    assert "<title>نظارت</title>" in html
    row = re.search(r"<tr>\s*<td>درخواست و تأیید</td>(.*?)</tr>", html, re.S)
    assert row is not None
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1)) == ["api_approval", "2", "2", "2"]


def test_the_home_page_without_processes_says_so(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert RTL in html and "هنوز فرایندی مستقر نشده است" in html


def test_the_home_page_uses_no_external_assets(client: FlaskClient, deployed: str) -> None:
    html = client.get("/").get_data(as_text=True)
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "@import" not in html and "fonts.googleapis" not in html


def test_healthz_answers_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"ok": True}


def test_an_html_404_is_a_persian_rtl_page(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert RTL in html and "پیدا نشد" in html and "not_found" in html


def test_an_html_405_is_a_persian_rtl_page(client: FlaskClient) -> None:
    response = client.post("/")
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert RTL in response.get_data(as_text=True)
