"""The USB-token flow end to end, against real SoftHSM2 tokens: the server prepares the approval's bytes
(API), the clerk's local agent signs them on the token over HTTP, the server completes the step (API).

The key is made on the token and never leaves it: the token reports it sensitive and never extractable
and refuses to reveal its private parts, and all the agent ever returns is a CMS with certificates.
The agent serves only the origins it was started for and only on its loopback address.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pkcs11
import pytest
from asn1crypto import cms as asn1_cms
from flask.testing import FlaskClient
from pkcs11 import Attribute, ObjectClass

from engine.clock import FixedClock
from engine.errors import InvalidInput
from engine.platform import Platform
from signatures.agent import Agent, AgentConfig, start
from signatures.agent.server import served
from signatures.token import key_protection
from tests.handlers import test_signing__steps as steps
from tests.handlers.test_signing__steps import DECISION, open_task, snapshot
from tests.signatures.token_support import (
    ORIGIN,
    PIN,
    b64decode,
    call_agent,
    enroll,
    sign_on_agent,
    softhsm,
)
from webui import create_app
from webui.auth import issue_token

pki, platform = steps.pki, steps.platform  # demo CA (mina, ali, reza) and the signed_decision bundle
CLOCK = FixedClock.at("2026-03-01T09:00:00+03:30")  # the tests' clock: the clerk's PC agrees with it


@pytest.fixture(scope="module")
def module(tmp_path_factory: pytest.TempPathFactory, pki: Path) -> Iterator[Path]:
    with softhsm(tmp_path_factory.mktemp("softhsm"), ["MinaToken", "AliToken", "SpareToken"]) as found:
        enroll(found, "MinaToken", "mina", "مینا صادقی", pki, FixedClock.at("2026-02-01T09:00:00+03:30"))
        enroll(found, "AliToken", "ali", "علی رضایی", pki, FixedClock.at("2026-02-01T09:00:00+03:30"))
        yield found


def running(module: Path, label: str) -> Iterator[Agent]:
    agent = start(AgentConfig(module, label, frozenset({ORIGIN}), port=0), PIN, CLOCK)
    with served(agent):
        yield agent


@pytest.fixture(scope="module")
def mina_agent(module: Path) -> Iterator[Agent]:
    yield from running(module, "MinaToken")


@pytest.fixture(scope="module")
def ali_agent(module: Path) -> Iterator[Agent]:
    yield from running(module, "AliToken")


def api(platform: Platform) -> tuple[FlaskClient, dict[str, str]]:
    client = create_app({"TESTING": True}, platform=platform).test_client()
    return client, {"Authorization": f"Bearer {issue_token(platform, 'mina')}"}


def prepare_sign_complete(platform: Platform, agent: Agent) -> tuple[str, dict, dict, tuple[int, dict]]:
    task = open_task(platform)
    client, headers = api(platform)
    prepared = client.post(f"/api/v1/tasks/{task['id']}/approval", json={"data": DECISION}, headers=headers)
    assert prepared.status_code == 200, prepared.json
    signed = sign_on_agent(agent.url, prepared.json)
    body = {"data": DECISION, "signature": signed["signature"]}
    done = client.post(f"/api/v1/tasks/{task['id']}/complete", json=body, headers=headers)
    return str(task["id"]), prepared.json, signed, (done.status_code, done.json)


def test_a_signature_step_completes_with_a_signature_made_on_the_clerks_token(
    platform: Platform, mina_agent: Agent
) -> None:
    _, prepared, signed, (code, result) = prepare_sign_complete(platform, mina_agent)

    assert (code, result["status"]) == (200, "completed"), result
    assert signed["sha256"] == prepared["sha256"] == hashlib.sha256(b64decode(prepared["data"])).hexdigest()
    (event,) = [e for e in platform.history(result["instance_id"]) if e["kind"] == "signed"]
    assert event["actor"] == "mina" and "مینا صادقی" in event["data"]["signer"]
    assert event["data"]["cms"] == signed["signature"]
    assert event["data"]["content_sha256"] == prepared["sha256"]
    assert platform.verify(result["instance_id"]).ok


def test_the_key_never_leaves_the_token(module: Path, platform: Platform, mina_agent: Agent) -> None:
    _, _, signed, _ = prepare_sign_complete(platform, mina_agent)

    # the agent is logged in to the token; PKCS#11 logins are per process, so this session shares it
    with pkcs11.lib(str(module)).get_token(token_label="MinaToken").open() as session:
        protection = key_protection(session, "mina")
        key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label="mina")
        assert key[Attribute.EXTRACTABLE] is False and key[Attribute.SENSITIVE] is True
        for secret in (Attribute.PRIVATE_EXPONENT, Attribute.PRIME_1, Attribute.PRIME_2):
            with pytest.raises(pkcs11.exceptions.AttributeSensitive):
                key[secret]
    assert protection.stays_on_token and protection.generated_on_token
    assert set(signed) == {"signature", "sha256", "signer"}  # all the agent ever answers
    signed_data = asn1_cms.ContentInfo.load(b64decode(signed["signature"]))["content"]
    assert [c.name for c in signed_data["certificates"]] == ["certificate"]  # mina's certificate, no key
    assert signed_data["encap_content_info"]["content"].native is None  # detached


def test_another_clerks_token_is_refused_at_completion_and_nothing_moves(
    platform: Platform, ali_agent: Agent
) -> None:
    task = open_task(platform)
    before = snapshot(platform, task)
    client, headers = api(platform)
    prepared = client.post(f"/api/v1/tasks/{task['id']}/approval", json={"data": DECISION}, headers=headers)
    by_ali = sign_on_agent(ali_agent.url, prepared.json)  # mina's approval, signed on ali's token

    body = {"data": DECISION, "signature": by_ali["signature"]}
    done = client.post(f"/api/v1/tasks/{task['id']}/complete", json=body, headers=headers)

    assert done.status_code == 400 and done.json["code"] == "validation_failed", done.json
    assert "علی رضایی" in done.json["error"] and "mina" in done.json["error"]
    assert snapshot(platform, task) == before


@pytest.mark.parametrize(
    ("origin", "host"),
    [("https://evil.example", None), (None, None), (ORIGIN, "evil.example:8790")],
    ids=["foreign-origin", "no-origin", "rebound-host"],
)
def test_the_agent_refuses_other_origins_and_hosts(
    mina_agent: Agent, origin: str | None, host: str | None
) -> None:
    status, body, headers = call_agent(
        f"{mina_agent.url}/sign", origin=origin, host=host, body={"data": "AAAA"}
    )

    assert status == 403 and "error" in body and "signature" not in body
    assert "Access-Control-Allow-Origin" not in headers


def test_the_preflight_allows_the_nezarat_origin_only(mina_agent: Agent) -> None:
    allowed = call_agent(f"{mina_agent.url}/sign", method="OPTIONS")
    foreign = call_agent(f"{mina_agent.url}/sign", method="OPTIONS", origin="https://evil.example")

    assert allowed[0] == 204 and allowed[2]["Access-Control-Allow-Origin"] == ORIGIN
    assert "Content-Type" in allowed[2]["Access-Control-Allow-Headers"]
    assert foreign[0] == 403 and "Access-Control-Allow-Origin" not in foreign[2]


def test_bytes_that_do_not_match_their_digest_are_not_signed(mina_agent: Agent) -> None:
    status, body, _ = call_agent(f"{mina_agent.url}/sign", body={"data": "AAAA", "sha256": "00" * 32})

    assert status == 400 and "sha256" in body["error"]


def test_a_wrong_pin_stops_the_agent_before_it_listens(module: Path) -> None:
    # a token no agent of this module is logged in to (PKCS#11 logins are per process)
    with pytest.raises(InvalidInput, match="wrong PIN"):
        start(AgentConfig(module, "SpareToken", frozenset({ORIGIN}), port=0), "0000", CLOCK)
