"""``/models``: only process owners (``process_owner``, ``admin``) reach the area, through the one error
renderer; the list shows each version with its short sha256, who deployed it and its running instances."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from engine.platform import Platform
from tests.webui.demo_site import Seeded
from tests.webui.pages import Pages

OWNER = "owner_1"


def config_of(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="modeler-config">(.*?)</script>', html, re.S)
    assert found, "the modeler page has no config"
    loaded: dict[str, object] = json.loads(found.group(1))
    return loaded


def test_a_clerk_is_refused_every_page_and_endpoint_with_403_and_sees_no_menu_entry(
    pages: Callable[[], Pages],
) -> None:
    clerk = pages()
    clerk.sign_in("expert_1")
    assert 'href="/models"' not in clerk.html("/inbox")
    for path in ("/models", "/models/budget_oversight/modeler", "/models/budget_oversight/forms"):
        refused = clerk.get(path)
        assert refused.status_code == 403, path
        assert 'dir="rtl"' in refused.get_data(as_text=True)
        assert "process_owner" in refused.get_data(as_text=True)
    posted = clerk.client.post(
        "/models/budget_oversight/check", json={"xml": "<x/>"}, headers={"X-CSRFToken": clerk.token()}
    )
    assert posted.status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(pages: Callable[[], Pages]) -> None:
    response = pages().get("/models")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin?next=/models")


def test_an_owner_sees_every_version_with_its_sha_deployer_and_running_instances(
    pages: Callable[[], Pages], demo: tuple[Platform, Seeded]
) -> None:
    owner = pages()
    owner.sign_in(OWNER)
    html = owner.html("/models")
    assert 'aria-current="page">طراحی فرایند' in html
    section = html[html.index('id="p-budget_oversight"') :]
    section = section[: section.index("</section>")]
    row = section[section.index('data-version="1"') :]
    assert "<td>۱</td>" in row
    assert re.search(r'class="ltr mono" title="[0-9a-f]{64}">[0-9a-f]{12}<', row)
    assert '<td class="ltr">admin</td>' in row
    assert "<td>۵</td>" in row  # the five budget circulars seeded on version 1


def test_admin_is_an_owner_too(pages: Callable[[], Pages]) -> None:
    admin = pages()
    admin.sign_in("admin")
    assert admin.get("/models").status_code == 200
