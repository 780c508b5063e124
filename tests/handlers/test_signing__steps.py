"""A signature step completes only with the completing user's own signature over exactly what they
approve; every refusal names its cause and leaves the instance, its history and the inbox unchanged."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine import directory
from engine.clock import FixedClock
from engine.errors import InvalidInput, NezaratError, ValidationError
from engine.platform import Platform
from engine.settings import from_env
from handlers import signing, wiring
from signatures.demo import DEMO_PASSWORD, issue_demo_credentials
from tests.conftest import add_people, bundle

DECISION = {"decision": "approved", "amount": 1_500_000_000, "note": "مطابق مصوبهٔ شورا"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo CA's credentials for the test organisation's people (RSA keys: made once per module)."""
    out = tmp_path_factory.mktemp("pki")
    people = [directory.Person(n, n, None, frozenset(), None) for n in ("mina", "ali", "reza")]
    issue_demo_credentials(people, out, FixedClock.at("2026-02-01T09:00:00+03:30"))  # before the tests' clock
    return out


@pytest.fixture
def platform(tmp_path: Path, clock: FixedClock, pki: Path) -> Iterator[Platform]:
    settings = from_env(
        {},
        database_url=f"sqlite:///{tmp_path / 'n.db'}",
        data_dir=str(tmp_path),
        trust_dir=str(pki / "trust"),
    )
    built = Platform.build(settings, clock=clock, **wiring.platform_parts(settings, clock))
    built.init_db()
    with built.store.transaction() as tx:
        add_people(tx)
    built.deploy(bundle("signed_decision"), actor="admin")
    yield built
    built.store.dispose()


def open_task(platform: Platform) -> dict[str, Any]:
    started = platform.start("signed_decision", {}, actor="mina")
    (task,) = platform.tasks("mina", instance_id=started.instance_id)
    return task


def sign(
    platform: Platform,
    pki: Path,
    task: dict[str, Any],
    data: dict[str, Any],
    *,
    key_of: str,
    approver: str = "mina",
) -> bytes:
    """What the web's "sign" button does: the approval of this completion, signed with a user's key."""
    approval = dataclasses.replace(platform.approval(str(task["id"]), data, actor="mina"), actor=approver)
    store = platform.runtime.services["attachments"]
    return signing.sign_with_pkcs12(
        approval, store, pki / "users" / f"{key_of}.p12", DEMO_PASSWORD, platform.clock
    )


def snapshot(platform: Platform, task: dict[str, Any]) -> tuple[Any, ...]:
    instance = str(task["instance_id"])
    return (
        platform.instance(instance),
        platform.history(instance),
        platform.tasks("mina", instance_id=instance),
    )


def test_the_step_says_it_needs_a_signature(platform: Platform) -> None:
    assert open_task(platform)["signature_required"] is True


def test_a_signed_decision_completes_and_the_history_keeps_the_signature(
    platform: Platform, pki: Path
) -> None:
    task = open_task(platform)
    signature = sign(platform, pki, task, DECISION, key_of="mina")

    result = platform.complete(str(task["id"]), DECISION, actor="mina", signature=signature)

    assert result.status == "completed"
    history = platform.history(result.instance_id)
    kinds = [e["kind"] for e in history]
    assert kinds.index("signed") == kinds.index("completed") - 1  # signed, then completed, in one step
    (signed,) = [e for e in history if e["kind"] == "signed"]
    assert signed["actor"] == "mina" and signed["element_id"] == "decide"
    assert "mina" in signed["data"]["signer"]
    assert base64.b64decode(signed["data"]["cms"]) == signature
    assert len(signed["data"]["content_sha256"]) == 64
    assert platform.verify(result.instance_id).ok


def test_without_a_signature_the_step_is_refused_and_nothing_moves(platform: Platform) -> None:
    task = open_task(platform)
    before = snapshot(platform, task)

    with pytest.raises(InvalidInput, match="امضای دیجیتال"):
        platform.complete(str(task["id"]), DECISION, actor="mina")

    assert snapshot(platform, task) == before


@pytest.mark.parametrize(
    ("approver", "codes"),
    [("ali", {"altered", "wrong_signer"}), ("mina", {"wrong_signer"})],
    ids=["ali-approves-as-himself", "ali-signs-minas-approval"],
)
def test_another_users_signature_is_refused(
    platform: Platform, pki: Path, approver: str, codes: set[str]
) -> None:
    task = open_task(platform)
    before = snapshot(platform, task)
    stolen = sign(
        platform, pki, task, DECISION, key_of="ali", approver=approver
    )  # mina submits ali's signature

    with pytest.raises(ValidationError) as refused:
        platform.complete(str(task["id"]), DECISION, actor="mina", signature=stolen)

    assert {d["code"] for d in refused.value.details} == codes
    assert "ali" in refused.value.message and "mina" in refused.value.message
    assert snapshot(platform, task) == before


def test_a_signature_over_other_data_is_refused(platform: Platform, pki: Path) -> None:
    task = open_task(platform)
    before = snapshot(platform, task)
    signature = sign(platform, pki, task, DECISION, key_of="mina")

    with pytest.raises(ValidationError) as refused:
        platform.complete(
            str(task["id"]), {**DECISION, "amount": 9_500_000_000}, actor="mina", signature=signature
        )

    assert {d["code"] for d in refused.value.details} == {"altered"}

    assert snapshot(platform, task) == before


def test_the_signature_covers_the_attachments_bytes(platform: Platform, pki: Path) -> None:
    store = platform.runtime.services["attachments"]
    ref = store.put(b"%PDF-1.4\n% minutes\n%%EOF\n", filename="minutes.pdf", content_type="application/pdf")
    data = {**DECISION, "minutes": ref}
    task = open_task(platform)
    signature = sign(platform, pki, task, data, key_of="mina")
    stored = next(p for p in Path(store.root).rglob("*") if p.is_file() and p.suffix != ".json")
    stored.write_bytes(stored.read_bytes() + b"% changed after signing\n")
    before = snapshot(platform, task)

    with pytest.raises(NezaratError, match="آسیب دیده"):  # the stored file no longer matches its digest
        platform.complete(str(task["id"]), data, actor="mina", signature=signature)

    assert snapshot(platform, task) == before


def test_garbage_instead_of_a_signature_is_a_clear_refusal(platform: Platform) -> None:
    task = open_task(platform)
    before = snapshot(platform, task)

    with pytest.raises(InvalidInput, match="CMS"):
        platform.complete(str(task["id"]), DECISION, actor="mina", signature=b"not a CMS structure")

    assert snapshot(platform, task) == before
