"""The task page's signature step: the clerk signs with their own token (the page posts the agent's CMS in
``_signature``) or on the server with their PKCS#12 and its password. A refused signature is shown next
to the sign control and nothing is stored; the password is used once and kept nowhere.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.passwords import set_password
from engine.platform import Platform
from engine.settings import from_env
from handlers import wiring
from signatures import cms, keystore
from signatures.demo import DEMO_PASSWORD
from tests.handlers import test_signing__steps as steps
from tests.handlers.test_signing__steps import open_task, snapshot
from tests.webui.demo_site import PASSWORD
from tests.webui.pages import Pages
from webui import create_app
from webui.i18n import compile_catalogs

pki, platform = steps.pki, steps.platform  # demo CA keys for mina, ali, reza; the signed_decision bundle
FORM = {"decision": "approved", "amount": "۱٬۵۰۰٬۰۰۰٬۰۰۰", "note": "مطابق مصوبهٔ شورا"}
KEY_PASSWORD = "رمز-کلید-مینا-۷۳۱"  # looked for in every stored file afterwards


@pytest.fixture
def mina(platform: Platform) -> Iterator[Pages]:
    compile_catalogs()
    with platform.store.transaction() as tx:
        set_password(tx, "mina", PASSWORD)
    pages = Pages(create_app({"TESTING": True}, platform=platform).test_client())
    pages.sign_in("mina")
    yield pages


def signature_error(html: str) -> str:
    found = re.search(r'<div class="alert error" role="alert" id="signature-error">([^<]*)</div>', html)
    assert found, "no signature error is shown next to the sign control"
    return found.group(1)


def prepared_bytes(mina: Pages, task: dict[str, Any], form: dict[str, str]) -> bytes:
    response = mina.post(f"/tasks/{task['id']}/approval", form)
    assert response.status_code == 200, response.get_data(as_text=True)
    return base64.b64decode(response.json["data"])


def signed_by(pki: Path, user: str, content: bytes, platform: Platform) -> str:
    key = keystore.software_signer(keystore.load_pkcs12(pki / "users" / f"{user}.p12", DEMO_PASSWORD))
    return base64.b64encode(cms.sign_detached(content, key, clock=platform.clock)).decode()


def signed_events(platform: Platform, task: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in platform.history(str(task["instance_id"])) if e["kind"] == "signed"]


def test_the_page_offers_signing_with_ones_token_or_on_the_server(platform: Platform, mina: Pages) -> None:
    task = open_task(platform)

    html = mina.html(f"/tasks/{task['id']}")

    assert 'id="signature-step"' in html and f'data-prepare-url="/tasks/{task["id"]}/approval"' in html
    assert 'data-agent-url="http://127.0.0.1:8790"' in html and "tasks/signature.js" in html
    assert 'value="token"' in html and 'value="server"' in html and 'name="_key_password"' in html


def test_the_page_sends_the_clerks_browser_to_the_agent_the_setting_names(platform: Platform) -> None:
    task, base = open_task(platform), platform.settings
    settings = from_env(
        {"NEZARAT_SIGNING_AGENT_URL": "http://127.0.0.1:9911/"},
        database_url=base.database_url,
        data_dir=str(base.data_dir),
        trust_dir=str(base.trust_dir),
    )
    elsewhere = Platform.build(
        settings, clock=platform.clock, **wiring.platform_parts(settings, platform.clock)
    )
    with elsewhere.store.transaction() as tx:
        set_password(tx, "mina", PASSWORD)
    pages = Pages(create_app({"TESTING": True}, platform=elsewhere).test_client())
    pages.sign_in("mina")

    html = pages.html(f"/tasks/{task['id']}")

    assert 'data-agent-url="http://127.0.0.1:9911"' in html and "8790" not in html
    elsewhere.store.dispose()


def test_a_signature_from_the_clerks_token_completes_the_step(
    platform: Platform, pki: Path, mina: Pages
) -> None:
    task = open_task(platform)
    content = prepared_bytes(mina, task, FORM)

    response = mina.post(
        f"/tasks/{task['id']}",
        {**FORM, "_sign_with": "token", "_signature": signed_by(pki, "mina", content, platform)},
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    (event,) = signed_events(platform, task)
    assert event["actor"] == "mina"


def test_another_users_token_signature_is_shown_beside_the_sign_control_and_nothing_moves(
    platform: Platform, pki: Path, mina: Pages
) -> None:
    task = open_task(platform)
    before = snapshot(platform, task)
    content = prepared_bytes(mina, task, FORM)

    response = mina.post(
        f"/tasks/{task['id']}",
        {**FORM, "_sign_with": "token", "_signature": signed_by(pki, "ali", content, platform)},
    )

    assert response.status_code == 200
    message = signature_error(response.get_data(as_text=True))
    assert "ali" in message and "mina" in message
    assert snapshot(platform, task) == before


def test_signing_on_the_server_with_an_uploaded_key_completes_and_keeps_no_password(
    platform: Platform, pki: Path, mina: Pages, tmp_path: Path
) -> None:
    credential = keystore.load_pkcs12(pki / "users" / "mina.p12", DEMO_PASSWORD)
    upload = keystore.pkcs12_bytes(credential, KEY_PASSWORD)
    task = open_task(platform)

    response = mina.post(
        f"/tasks/{task['id']}",
        {
            **FORM,
            "_sign_with": "server",
            "_key_password": KEY_PASSWORD,
            "_key_file": (io.BytesIO(upload), "mina.p12"),
        },
        content_type="multipart/form-data",
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    assert len(signed_events(platform, task)) == 1
    secret = KEY_PASSWORD.encode()
    for stored in (p for p in tmp_path.rglob("*") if p.is_file()):  # the database, attachments, drafts
        content = stored.read_bytes()
        assert secret not in content and upload not in content, stored


def test_a_wrong_key_password_is_shown_beside_the_sign_control_and_nothing_moves(
    platform: Platform, mina: Pages, pki: Path, tmp_path: Path
) -> None:
    _keep_key_on_server(pki, tmp_path)
    task = open_task(platform)
    before = snapshot(platform, task)

    response = mina.post(f"/tasks/{task['id']}", {**FORM, "_sign_with": "server", "_key_password": "wrong"})

    assert response.status_code == 200
    assert "نادرست" in signature_error(response.get_data(as_text=True))
    assert snapshot(platform, task) == before


def test_the_key_the_server_keeps_for_the_clerk_signs_with_its_password(
    platform: Platform, mina: Pages, pki: Path, tmp_path: Path
) -> None:
    _keep_key_on_server(pki, tmp_path)
    task = open_task(platform)

    response = mina.post(
        f"/tasks/{task['id']}", {**FORM, "_sign_with": "server", "_key_password": DEMO_PASSWORD}
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    assert len(signed_events(platform, task)) == 1


def test_without_a_token_signature_the_clerk_is_told_to_run_the_agent(
    platform: Platform, mina: Pages
) -> None:
    task = open_task(platform)

    response = mina.post(f"/tasks/{task['id']}", {**FORM, "_sign_with": "token", "_signature": ""})

    assert "برنامهٔ امضای محلی" in signature_error(response.get_data(as_text=True))
    assert signed_events(platform, task) == []


def test_the_forms_own_errors_are_still_shown_by_field(platform: Platform, mina: Pages) -> None:
    task = open_task(platform)

    response = mina.post(f"/tasks/{task['id']}", {**FORM, "amount": "بسیار", "_sign_with": "token"})

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="form-problem"' in html
    assert 'id="signature-error" hidden' in html  # not a signature problem


def _keep_key_on_server(pki: Path, data_dir: Path) -> None:
    (data_dir / "pki" / "users").mkdir(parents=True)
    shutil.copyfile(pki / "users" / "mina.p12", data_dir / "pki" / "users" / "mina.p12")
