"""The demo PKI that init-db --demo writes: a trust directory, a PKCS#12 per user, usable at once."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization

from engine.clock import FixedClock
from engine.directory import Person
from signatures import ca
from signatures.cms import sign_approval, verify_approval
from signatures.demo import DEMO_PASSWORD, issue_demo_credentials
from signatures.keystore import load_pkcs12, software_signer
from signatures.trust import load_trust
from tests.signatures.signing_support import Pki, approval_by

PEOPLE = [
    Person("ali", "کارشناس بودجهٔ شهرداری", "muni-a", frozenset({"clerk"}), "ali@demo.nezarat.ir"),
    Person("governor", "استاندار", "gov", frozenset({"governor"})),
]


def test_each_user_gets_a_file_whose_signature_verifies_against_the_demo_trust(
    pki: Pki, tmp_path: Path
) -> None:
    written = issue_demo_credentials(PEOPLE, tmp_path, pki.clock)

    assert sorted(written.user_files) == ["ali", "governor"]
    credential = load_pkcs12(written.user_files["ali"], DEMO_PASSWORD)
    assert ca.user_of(credential.certificate) == "ali"
    trust = load_trust(written.trust_dir)
    assert trust.checks_revocation
    approval = approval_by("ali")
    signature = sign_approval(approval, software_signer(credential), clock=pki.clock)
    assert verify_approval(approval, signature, trust=trust, clock=pki.clock).ok
    assert (
        load_pkcs12(written.tsa_file, DEMO_PASSWORD)
        .certificate.subject.rfc4514_string()
        .startswith("CN=Nezarat Timestamping")
    )


def test_running_again_keeps_the_root_and_existing_users_and_adds_new_ones(pki: Pki, tmp_path: Path) -> None:
    first = issue_demo_credentials(PEOPLE[:1], tmp_path, pki.clock, password="other")
    root_before = (first.trust_dir / "root.pem").read_bytes()
    ali_before = first.user_files["ali"].read_bytes()

    second = issue_demo_credentials(PEOPLE, tmp_path, FixedClock(pki.clock.now()), password="other")

    assert (second.trust_dir / "root.pem").read_bytes() == root_before
    assert second.user_files["ali"].read_bytes() == ali_before
    governor = load_pkcs12(second.user_files["governor"], "other")
    assert governor.chain[0].public_bytes(serialization.Encoding.PEM) == root_before
