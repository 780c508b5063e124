"""Checkpoints: a step that completes or cancels an instance ends with a checkpoint sealing the event
before it, in the same commit; the seal's CMS verifies over exactly (instance, seq, hash, time); a
server without a seal writes none; a checkpoint signed by someone else's key is named by verify."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine import checkpoints, directory, history, service_tasks
from engine.clock import FixedClock
from engine.platform import Platform
from engine.settings import from_env
from handlers import wiring
from signatures import cms, keystore, trust
from signatures.demo import DEMO_PASSWORD, SEAL_USER, issue_demo_credentials
from tests.conftest import add_people, bundle

ISSUED = FixedClock.at("2026-02-01T09:00:00+03:30")


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pki")
    issue_demo_credentials([directory.Person("ali", "ali", None, frozenset(), None)], folder, ISSUED)
    return folder


@pytest.fixture
def sealed(tmp_path: Path, clock: FixedClock, pki: Path) -> Iterator[Platform]:
    @service_tasks.handler("test.stamp")
    def stamp(ctx: service_tasks.HandlerContext) -> dict[str, object]:
        return {"letter_no": "L-1"}

    settings = from_env(
        {},
        database_url=f"sqlite:///{tmp_path / 'n.db'}",
        data_dir=str(tmp_path),
        trust_dir=str(pki / "trust"),
        seal_file=str(pki / "server" / "seal.p12"),
    )
    built = Platform.build(settings, clock=clock, **wiring.platform_parts(settings, clock))
    built.init_db()
    with built.store.transaction() as tx:
        add_people(tx)
    built.deploy(bundle("review"), actor="admin")
    yield built
    built.store.dispose()
    service_tasks.unregister("test.stamp")


def run_to_end(platform: Platform) -> tuple[str, list[dict[str, Any]]]:
    started = platform.start("review", {}, actor="ali")
    (draft,) = platform.tasks("ali", instance_id=started.instance_id)
    assert [e["kind"] for e in platform.history(started.instance_id)][
        -1
    ] != "checkpoint"  # nothing sealed yet
    platform.complete(str(draft["id"]), {"amount": 500}, actor="ali")
    return started.instance_id, platform.history(started.instance_id)


def test_completion_ends_with_a_checkpoint_sealing_the_event_before_it(sealed: Platform, pki: Path) -> None:
    instance_id, events = run_to_end(sealed)
    *before, mark = events
    assert [e["kind"] for e in events][-2:] == ["instance_completed", "checkpoint"]
    assert (mark["data"]["seq"], mark["data"]["hash"]) == (before[-1]["seq"], before[-1]["hash"])
    assert mark["at"] == before[-1]["at"]  # written by the same commit
    signed = checkpoints.sealed_text(
        instance_id, mark["data"]["seq"], mark["data"]["hash"], mark["data"]["at"]
    )
    signature = base64.b64decode(mark["data"]["cms"])
    roots = trust.load_trust(pki / "trust")
    verdict = cms.verify_detached(signed, signature, trust=roots, clock=sealed.clock, document="checkpoint")
    assert verdict.ok and verdict.signer_user == SEAL_USER
    report = sealed.verify(instance_id)
    assert report.ok and "checkpoint" in report.checked


def test_cancelling_is_sealed_too(sealed: Platform) -> None:
    started = sealed.start("review", {}, actor="ali")
    sealed.cancel(started.instance_id, actor="ali")
    kinds = [e["kind"] for e in sealed.history(started.instance_id)]
    assert kinds[-1] == "checkpoint" and kinds.index("cancelled") < len(kinds) - 1
    assert sealed.verify(started.instance_id).ok


def test_a_server_without_a_seal_writes_no_checkpoint(platform: Platform) -> None:
    platform.deploy(bundle("two_steps"), actor="admin")
    started = platform.start("two_steps", {}, actor="ali")
    for _ in range(2):
        (task,) = platform.tasks("ali", instance_id=started.instance_id)
        platform.complete(str(task["id"]), {}, actor="ali")
    kinds = [e["kind"] for e in platform.history(started.instance_id)]
    assert kinds[-1] == "instance_completed" and "checkpoint" not in kinds


def test_a_checkpoint_signed_with_a_users_key_is_named(sealed: Platform, pki: Path) -> None:
    instance_id, events = run_to_end(sealed)
    mark = events[-1]
    ali = keystore.software_signer(keystore.load_pkcs12(pki / "users" / "ali.p12", DEMO_PASSWORD))
    data = mark["data"]
    forged = cms.sign_detached(
        checkpoints.sealed_text(instance_id, data["seq"], data["hash"], data["at"]), ali, clock=sealed.clock
    )
    with sealed.store.transaction() as tx:
        row = history.events_of(tx, instance_id)[-1]
        row.data = {**data, "cms": base64.b64encode(forged).decode()}
    report = sealed.verify(instance_id)
    causes = [(f.kind, f.seq, f.cause) for f in report.findings]
    assert ("checkpoint", mark["seq"], "wrong_signer") in causes
    assert ("chain", mark["seq"], "altered") in causes  # not re-hashed here: the chain sees it as well
