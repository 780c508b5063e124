"""Tampering with a signed, sealed instance is caught and named: an edited, deleted or reordered history
row, a changed byte of a stored PDF, a signature swapped for another user's and every checkpoint deleted
(each with the chain re-hashed as an attacker with database access would), and signatures by an expired, untrusted or revoked certificate
— refused at completion and reported by verify when planted in the history. Each time the untampered
twin instance in the same database verifies clean."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import text

from engine import directory, history
from engine.clock import FixedClock
from engine.errors import ValidationError
from engine.platform import Platform
from engine.settings import from_env
from engine.store.models import Instance
from engine.verification import Report
from handlers import signing, wiring
from signatures import ca, cms, keystore
from signatures.demo import DEMO_PASSWORD, issue_demo_credentials
from tests.conftest import add_people, bundle

DECISION = {"decision": "approved", "amount": 1_500_000_000, "note": "مطابق مصوبهٔ شورا"}
ISSUED = FixedClock.at("2026-02-01T09:00:00+03:30")  # a month before the tests' clock
PDF = b"%PDF-1.4\n% minutes of the council\n1 0 obj << >> endobj\n%%EOF\n"
EVERYTHING = ("chain", "signature", "checkpoint", "document", "replay")


@dataclasses.dataclass(frozen=True)
class Pki:
    folder: Path
    authority: ca.CertificateAuthority

    def credential(self, user: str) -> ca.Credential:
        return keystore.load_pkcs12(self.folder / "users" / f"{user}.p12", DEMO_PASSWORD)


@dataclasses.dataclass(frozen=True)
class Case:
    platform: Platform
    tampered: str
    twin: str
    pki: Pki

    def seq_of(self, kind: str) -> int:
        return next(e["seq"] for e in self.platform.history(self.tampered) if e["kind"] == kind)

    def report(self) -> Report:
        twin = self.platform.verify(self.twin)
        assert twin.ok and twin.findings == () and twin.checked == EVERYTHING, twin
        return self.platform.verify(self.tampered)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    people = [directory.Person(n, n, None, frozenset(), None) for n in ("mina", "ali")]
    issue_demo_credentials(people, folder, ISSUED)
    loaded = keystore.load_pkcs12(folder / "ca" / "root-ca.p12", DEMO_PASSWORD)
    return Pki(folder, ca.CertificateAuthority(loaded.key, loaded.certificate))


def build(url: str, data_dir: Path, pki: Pki, clock: FixedClock) -> Platform:
    settings = from_env(
        {},
        database_url=url,
        data_dir=str(data_dir),
        trust_dir=str(pki.folder / "trust"),
        seal_file=str(pki.folder / "server" / "seal.p12"),
        seal_password=DEMO_PASSWORD,
    )
    built = Platform.build(settings, clock=clock, **wiring.platform_parts(settings, clock))
    built.init_db()
    with built.store.transaction() as tx:
        add_people(tx)
    built.deploy(bundle("signed_decision"), actor="admin")
    return built


def open_task(platform: Platform) -> dict[str, Any]:
    started = platform.start("signed_decision", {}, actor="mina")
    (task,) = platform.tasks("mina", instance_id=started.instance_id)
    return task


def signed_by(platform: Platform, task: dict[str, Any], data: dict[str, Any], who: ca.Credential) -> bytes:
    """``who``'s signature over the approval mina gives when she completes ``task`` with ``data``."""
    approval = platform.approval(str(task["id"]), data, actor="mina")
    document = signing.signed_document(approval, platform.runtime.services["attachments"])
    return cms.sign_approval(document, keystore.software_signer(who), clock=platform.clock)


def signed_case(platform: Platform, pki: Pki) -> Case:
    """Two instances, each signed by mina with the council's minutes (a PDF) attached, completed and sealed."""
    ref = platform.runtime.services["attachments"].put(
        PDF, filename="minutes.pdf", content_type="application/pdf"
    )
    done = []
    for _ in range(2):
        task = open_task(platform)
        data = {**DECISION, "minutes": ref}
        signature = signed_by(platform, task, data, pki.credential("mina"))
        done.append(platform.complete(str(task["id"]), data, actor="mina", signature=signature).instance_id)
    return Case(platform, done[0], done[1], pki)


@pytest.fixture
def case(tmp_path: Path, clock: FixedClock, pki: Pki) -> Iterator[Case]:
    platform = build(f"sqlite:///{tmp_path / 'n.db'}", tmp_path, pki, clock)
    yield signed_case(platform, pki)
    platform.store.dispose()


def raw(platform: Platform, sql: str, **params: Any) -> None:
    """What someone with write access to the database does: plain SQL, no Nezarat code."""
    with platform.store.transaction() as tx:
        tx.execute(text(sql), params)


def rewrite(platform: Platform, instance_id: str, seq: int, **changes: Any) -> None:
    """Change event ``seq`` and re-hash every event after it, and the instance's head, as an attacker who
    knows the chain's formula would: the chain holds again; only signatures and the seal can tell."""
    with platform.store.transaction() as tx:
        rows = sorted(history.events_of(tx, instance_id), key=lambda r: r.seq)
        for name, value in changes.items():
            setattr(rows[seq - 1], name, value)
        rehash(tx, instance_id, rows)


def rehash(tx: Any, instance_id: str, rows: list[Any]) -> None:
    """Number ``rows`` from 1 and chain them with engine.history's own hashing, up to the instance's head."""
    for row in rows:  # out of the way first: (instance, seq) is unique
        row.seq = -row.seq
    tx.flush()
    prev = history.GENESIS
    for seq, row in enumerate(rows, start=1):
        row.seq, row.prev_hash = seq, prev
        row.hash = history.chain_hash(
            prev, row.seq, row.at, row.actor, row.kind, row.element_id, row.task_id, row.data
        )
        prev = row.hash
    head = tx.get_one(Instance, instance_id)
    head.last_seq, head.last_hash = len(rows), prev


def delete_checkpoints(platform: Platform, instance_id: str) -> None:
    """Delete every checkpoint of the instance and re-hash what is left: the chain holds again."""
    with platform.store.transaction() as tx:
        rows = sorted(history.events_of(tx, instance_id), key=lambda r: r.seq)
        for row in rows:
            if row.kind == "checkpoint":
                tx.delete(row)
        tx.flush()
        rehash(tx, instance_id, [r for r in rows if r.kind != "checkpoint"])


def findings(report: Report, kind: str) -> list[tuple[int | None, str]]:
    return [(f.seq, f.cause) for f in report.findings if f.kind == kind]


def test_the_untampered_instance_is_sealed_after_its_signature_and_verifies_clean(case: Case) -> None:
    kinds = [e["kind"] for e in case.platform.history(case.tampered)]
    assert kinds[-1] == "checkpoint" and kinds.index("signed") < kinds.index("instance_completed")
    report = case.report()
    assert report.ok and report.findings == () and report.checked == EVERYTHING


def test_an_edited_history_row_is_named(case: Case) -> None:
    seq = case.seq_of("completed")
    forged = {"submitted": {**DECISION, "amount": 9_500_000_000}}
    raw(
        case.platform,
        "update history set data = :data where instance_id = :i and seq = :seq",
        data=json.dumps(forged),
        i=case.tampered,
        seq=seq,
    )
    report = case.report()
    assert findings(report, "chain") == [(seq, "altered")]
    assert (
        not report.ok and report.first_broken_seq == seq and f"event #{seq} (completed)" in str(report.reason)
    )
    assert (seq - 1, "altered") in findings(report, "signature")  # the signature no longer covers the data


def test_a_deleted_row_is_named(case: Case) -> None:
    seq = case.seq_of("task_ready")
    raw(case.platform, "delete from history where instance_id = :i and seq = :seq", i=case.tampered, seq=seq)
    report = case.report()
    assert findings(report, "chain") == [(seq, "deleted")]
    assert report.first_broken_seq == seq


def test_a_deleted_last_row_is_named_against_the_instance_head(case: Case) -> None:
    last = len(case.platform.history(case.tampered))
    raw(case.platform, "delete from history where instance_id = :i and seq = :seq", i=case.tampered, seq=last)
    assert findings(case.report(), "chain") == [(last, "deleted")]


def test_two_reordered_rows_are_named(case: Case) -> None:
    a, b = case.seq_of("task_ready"), case.seq_of("signed")
    swap = "update history set seq = :to where instance_id = :i and seq = :seq"
    raw(case.platform, swap, to=-1, i=case.tampered, seq=a)
    raw(case.platform, swap, to=a, i=case.tampered, seq=b)
    raw(case.platform, swap, to=b, i=case.tampered, seq=-1)
    report = case.report()
    assert findings(report, "chain") == [(a, "reordered"), (b, "reordered")]
    assert report.first_broken_seq == a


def test_one_changed_byte_of_a_stored_pdf_names_the_document(case: Case) -> None:
    store = case.platform.runtime.services["attachments"]
    ref = next(e for e in case.platform.history(case.tampered) if e["kind"] == "completed")["data"][
        "submitted"
    ]["minutes"]
    digest = ref.removeprefix("sha256:")
    stored = Path(store.root) / digest[:2] / digest
    content = bytearray(stored.read_bytes())
    content[20] ^= 0x01
    stored.write_bytes(bytes(content))
    report = case.platform.verify(case.tampered)
    documents = [f for f in report.findings if f.kind == "document"]
    assert [(d.document, d.cause) for d in documents] == [(ref, "altered")]
    assert "minutes.pdf" in documents[0].message
    assert findings(report, "chain") == []
    # The twin names the same file, so it is reported there too: the bytes are shared, not the chain.
    assert [f.document for f in case.platform.verify(case.twin).findings if f.kind == "document"] == [ref]


def swap_signature(case: Case) -> tuple[int, int]:
    """Put ali's signature (over the same decision, as himself) in mina's signed event and re-hash."""
    platform = case.platform
    stolen_task = open_task(platform)
    data = {**DECISION, "minutes": next(iter(_refs(platform, case.tampered)))}
    ali = signed_by(platform, stolen_task, data, case.pki.credential("ali"))
    seq = case.seq_of("signed")
    event = next(e for e in platform.history(case.tampered) if e["seq"] == seq)
    rewrite(platform, case.tampered, seq, data={**event["data"], "cms": base64.b64encode(ali).decode()})
    return seq, case.seq_of("checkpoint")


def _refs(platform: Platform, instance_id: str) -> list[str]:
    return [
        e["data"]["submitted"]["minutes"] for e in platform.history(instance_id) if e["kind"] == "completed"
    ]


def test_another_users_signature_swapped_in_and_re_hashed_is_named(case: Case) -> None:
    signed, sealed = swap_signature(case)
    report = case.report()
    assert findings(report, "chain") == []  # the attacker re-hashed: the chain alone holds
    assert {"wrong_signer", "altered"} <= {c for s, c in findings(report, "signature") if s == signed}
    assert findings(report, "checkpoint") == [(sealed, "chain_changed")]  # and the seal saw the re-hash
    assert report.first_broken_seq == signed and "ali" in str(report.reason)


@pytest.mark.postgres
def test_a_swapped_signature_is_named_on_postgresql(
    postgres_url: str, tmp_path: Path, clock: FixedClock, pki: Pki
) -> None:
    platform = build(postgres_url, tmp_path, pki, clock)
    try:
        case = signed_case(platform, pki)
        signed, sealed = swap_signature(case)
        report = case.report()
        assert findings(report, "chain") == []
        assert (signed, "wrong_signer") in findings(report, "signature")
        assert findings(report, "checkpoint") == [(sealed, "chain_changed")]
    finally:
        platform.store.dispose()


def test_every_checkpoint_deleted_and_the_chain_re_hashed_is_named(case: Case) -> None:
    delete_checkpoints(case.platform, case.tampered)
    kinds = [e["kind"] for e in case.platform.history(case.tampered)]
    assert "checkpoint" not in kinds and case.platform.history(case.tampered)[0]["data"]["sealed"] is True
    report = case.report()
    assert findings(report, "chain") == []  # the re-hashed chain holds
    assert findings(report, "checkpoint") == [
        (case.seq_of("signed"), "missing"),
        (case.seq_of("instance_completed"), "missing"),
    ]
    assert "(signed) has no checkpoint after it" in str(report.reason)


def test_a_history_begun_before_the_server_had_a_seal_is_not_held_to_checkpoints(
    case: Case, tmp_path: Path, clock: FixedClock
) -> None:
    """The same database, written earlier by a server with no seal file: no checkpoint, none expected."""
    unsealed_settings = from_env({}, database_url=case.platform.settings.database_url, data_dir=str(tmp_path))
    unsealed = Platform.build(
        unsealed_settings, clock=clock, **wiring.platform_parts(unsealed_settings, clock)
    )
    try:
        started = unsealed.start("signed_decision", {}, actor="mina")
        unsealed.cancel(started.instance_id, actor="mina")
    finally:
        unsealed.store.dispose()
    events = case.platform.history(started.instance_id)
    assert "sealed" not in events[0]["data"] and "checkpoint" not in [e["kind"] for e in events]
    report = case.platform.verify(started.instance_id)
    assert report.ok and "checkpoint" in report.checked, report


def bad_credential(pki: Pki, kind: str, now: dt.datetime) -> ca.Credential:
    """Mina's key under an expired certificate, a certificate of a CA nobody trusts, or a revoked one
    (its CRL put in the trust directory)."""
    mina = pki.credential("mina")
    if kind == "expired":
        old = ca.issue_user_certificate(
            pki.authority,
            mina.key.public_key(),
            user="mina",
            display_name="mina",
            clock=ISSUED,
            not_before=now - dt.timedelta(days=400),
            days=365,
        )
        return ca.Credential(mina.key, old, (pki.authority.certificate,))
    if kind == "untrusted":
        stranger = ca.create_root(ISSUED, common_name="Unknown Root CA")
        return ca.issue_user(stranger, user="mina", display_name="mina", clock=ISSUED, key=mina.key)
    revoked = ca.issue_user(pki.authority, user="mina", display_name="mina", clock=ISSUED, key=mina.key)
    entry = ca.Revocation(revoked.certificate.serial_number, now - dt.timedelta(days=1))
    crl = ca.issue_crl(pki.authority, [entry], FixedClock(now), days=365)
    (pki.folder / "trust" / "root.crl").write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    return revoked


@pytest.mark.parametrize("kind", ["expired", "untrusted", "revoked"])
def test_a_bad_certificate_is_refused_at_completion_and_named_when_planted(case: Case, kind: str) -> None:
    platform = case.platform
    credential = bad_credential(case.pki, kind, platform.clock.now())
    task = open_task(platform)
    data = {**DECISION, "minutes": _refs(platform, case.tampered)[0]}
    bad = signed_by(platform, task, data, credential)
    before = platform.history(str(task["instance_id"]))

    with pytest.raises(ValidationError) as refused:
        platform.complete(str(task["id"]), data, actor="mina", signature=bad)

    assert kind in {d["code"] for d in refused.value.details}
    assert platform.history(str(task["instance_id"])) == before
    # Planted in the history of a completed instance (the chain re-hashed), verify names it.
    seq = case.seq_of("signed")
    event = next(e for e in platform.history(case.tampered) if e["seq"] == seq)
    planted = cms.sign_approval(
        signing.signed_document(
            _approval_of(platform, case.tampered), platform.runtime.services["attachments"]
        ),
        keystore.software_signer(credential),
        clock=platform.clock,
    )
    rewrite(platform, case.tampered, seq, data={**event["data"], "cms": base64.b64encode(planted).decode()})
    report = case.report()
    assert (seq, kind) in findings(report, "signature")
    assert findings(report, "chain") == []


def _approval_of(platform: Platform, instance_id: str) -> Any:
    """The approval mina signed in ``instance_id``, as the verifier rebuilds it from the history."""
    from engine import verification

    with platform.store.reading() as tx:
        rows = history.events_of(tx, instance_id)
        signed = next(r for r in rows if r.kind == "signed")
        return verification.approval_of(signed, rows, instance_id, verification.version_of(tx, instance_id))
