"""An instance signed on version 1 and migrated by an administrator to version 2 verifies clean on every
count — chain, signatures, checkpoints, documents and replay — and so does its audit package offline:
the signature given before the migration is judged against the version it was given under (its
sha256), not the one the instance is on now."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import directory
from engine.audit_package import export
from engine.clock import FixedClock
from engine.platform import Platform
from engine.settings import from_env
from handlers import signing, wiring
from signatures import cms, keystore, package, trust
from signatures.demo import DEMO_PASSWORD, issue_demo_credentials
from tests.conftest import add_people, bundle

ISSUED = FixedClock.at("2026-02-01T09:00:00+03:30")
DECISION = {"decision": "approved", "amount": 2_000_000_000}


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pki")
    issue_demo_credentials([directory.Person("mina", "mina", None, frozenset(), None)], folder, ISSUED)
    return folder


@pytest.fixture
def sealed(tmp_path: Path, clock: FixedClock, pki: Path) -> Iterator[Platform]:
    settings = from_env(
        {},
        database_url=f"sqlite:///{tmp_path / 'n.db'}",
        data_dir=str(tmp_path),
        trust_dir=str(pki / "trust"),
        seal_file=str(pki / "server" / "seal.p12"),
        seal_password=DEMO_PASSWORD,
    )
    built = Platform.build(settings, clock=clock, **wiring.platform_parts(settings, clock))
    built.init_db()
    with built.store.transaction() as tx:
        add_people(tx)
    built.deploy(bundle("signed_then_filed"), actor="admin")
    yield built
    built.store.dispose()


def test_a_signature_given_before_a_migration_verifies_against_the_version_it_was_given_under(
    sealed: Platform, pki: Path
) -> None:
    started = sealed.start("signed_then_filed", {}, actor="mina")
    [decide] = sealed.tasks("mina", instance_id=started.instance_id)
    approval = sealed.approval(str(decide["id"]), DECISION, actor="mina")
    document = signing.signed_document(approval, sealed.runtime.services["attachments"])
    mina = keystore.load_pkcs12(pki / "users" / "mina.p12", DEMO_PASSWORD)
    signature = cms.sign_approval(document, keystore.software_signer(mina), clock=sealed.clock)
    sealed.complete(str(decide["id"]), DECISION, actor="mina", signature=signature)
    [v2] = sealed.deploy(bundle("signed_then_filed_v2"), actor="admin")
    assert v2.version == 2 and v2.sha256 != approval.version_sha256

    sealed.migrate(started.instance_id, to_version=2, actor="admin", note="archiving is now a step")
    [filing] = sealed.tasks("ali", instance_id=started.instance_id)
    sealed.complete(str(filing["id"]), {}, actor="ali")
    [archive] = sealed.tasks("ali", instance_id=started.instance_id)  # version 2's step
    assert archive["element_id"] == "archive"
    assert sealed.complete(str(archive["id"]), {}, actor="ali").status == "completed"

    report = sealed.verify(started.instance_id)
    assert report.ok and report.findings == (), report
    assert report.checked == ("chain", "signature", "checkpoint", "document", "replay")
    kinds = [e["kind"] for e in sealed.history(started.instance_id)]
    assert kinds.index("signed") < kinds.index("migrated") and kinds[-1] == "checkpoint"

    store = sealed.runtime.services["attachments"]
    zipped = export(
        sealed.store,
        started.instance_id,
        read_attachment=lambda ref: (store.get(ref), store.info(ref).filename, store.info(ref).content_type),
        seal=signing.seal(sealed.settings, sealed.clock),
        certificates=package.certificates(
            package.signed_cms_of(sealed.history(started.instance_id)), pki / "trust"
        ),
        exported_by="auditor",
        clock=sealed.clock,
    )
    offline = package.verify_package(zipped, trust_store=trust.load_trust(pki / "trust"), clock=sealed.clock)
    assert offline.ok and offline.problems == (), offline
    with zipfile.ZipFile(io.BytesIO(zipped)) as opened:
        names = set(opened.namelist())
        earlier = opened.read(f"definition/earlier/{approval.version_sha256}/process.bpmn")
    assert "definition/process.bpmn" in names and b"archive" not in earlier  # version 1, before the move
