"""``/`` sends people to sign in or to their inbox; ``/processes`` lists deployed processes with the
running instances the person may see; HTML pages and error pages are Persian, right to left."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from flask.testing import FlaskClient

from engine import directory, passwords
from engine.platform import Platform
from tests.webui.api_client import APPROVAL
from tests.webui.pages import Pages
from webui.home.contexts import ProcessSummary
from webui.home.processes import summaries

RTL = '<html lang="fa" dir="rtl">'


def deploy_second_version(platform: Platform, tmp_path: Path) -> None:
    copy = tmp_path / "api_approval_v2"
    shutil.copytree(APPROVAL, copy)
    bpmn = copy / "process.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace("پایان", "پایان کار"), encoding="utf-8")
    platform.deploy(copy, actor="ali")


def signed_in(client: FlaskClient, platform: Platform, user: str = "ali") -> Pages:
    with platform.store.transaction() as tx:
        passwords.set_password(tx, user, "a long enough secret")
    pages = Pages(client)
    assert pages.sign_in(user, "a long enough secret").status_code == 302
    return pages


def test_the_root_sends_people_to_sign_in_and_then_to_their_inbox(
    client: FlaskClient, platform: Platform
) -> None:
    assert client.get("/").headers["Location"] == "/signin"
    assert client.get("/processes").headers["Location"] == "/signin?next=/processes"
    signed_in(client, platform)
    assert client.get("/").headers["Location"] == "/inbox"


def test_the_processes_page_lists_processes_with_versions_and_running_counts(
    client: FlaskClient, platform: Platform, deployed: str, tmp_path: Path
) -> None:
    deploy_second_version(platform, tmp_path)
    ids = [platform.start(deployed, {}, actor="ali").instance_id for _ in range(3)]
    platform.cancel(ids[0], actor="ali")
    assert summaries(platform.store) == [ProcessSummary("api_approval", "درخواست و تأیید", 2, 2, 2)]

    response = signed_in(client, platform).get("/processes")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert RTL in html
    assert "<title>فرایندها — نظارت</title>" in html
    row = re.search(r"<tr>\s*<td>درخواست و تأیید</td>(.*?)</tr>", html, re.S)
    assert row is not None
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1)) == ["api_approval", "۲", "۲", "۲"]


def test_running_counts_are_only_of_the_units_a_person_sees(platform: Platform, deployed: str) -> None:
    platform.start(deployed, {}, actor="ali")  # a case of muni-a
    with platform.store.transaction() as tx:
        directory.add_unit(tx, "muni-b", title="شهرداری ب", parent="gov")
        directory.add_user(tx, "bahram", groups=["clerk"], unit="muni-b")
    with platform.store.reading() as tx:
        people = {name: directory.person(tx, name) for name in ("ali", "reza", "bahram")}
    running = {name: summaries(platform.store, person)[0].running for name, person in people.items()}
    assert running == {"ali": 1, "reza": 1, "bahram": 0}


def test_the_processes_page_without_processes_says_so(client: FlaskClient, platform: Platform) -> None:
    html = signed_in(client, platform).get("/processes").get_data(as_text=True)
    assert RTL in html and "هنوز فرایندی مستقر نشده است" in html


def test_the_pages_use_no_external_assets(client: FlaskClient, platform: Platform, deployed: str) -> None:
    html = signed_in(client, platform).get("/processes").get_data(as_text=True)
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
