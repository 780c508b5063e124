"""Detached CMS approval signatures: a good one verifies, and every bad one says which signer, which
document and why."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from engine.clock import FixedClock
from engine.errors import InvalidInput, ValidationError
from signatures import ca
from signatures.canonical import canonical_bytes
from signatures.cms import sign_approval, sign_detached, verify_approval, verify_detached
from signatures.keystore import software_signer
from signatures.trust import TrustStore
from tests.signatures.signing_support import Pki, approval_by

DOCUMENT = "approval of task Task_review_budget in instance 1405-00042"


def test_an_approval_signed_by_its_actor_verifies_with_signer_and_time(pki: Pki) -> None:
    approval = approval_by("ali")
    signature = sign_approval(approval, software_signer(pki.ali), clock=pki.clock)

    verdict = verify_approval(approval, signature, trust=pki.trust, clock=pki.clock)

    assert verdict.ok, verdict.summary()
    assert (verdict.signer, verdict.signer_user, verdict.document) == ("علی رضایی", "ali", DOCUMENT)
    assert verdict.signing_time == pki.clock.now()
    assert verdict.require() is verdict


def test_changing_one_byte_of_the_approval_is_reported_as_altered(pki: Pki) -> None:
    approval = approval_by("ali", amount=120_000_000)
    signature = sign_approval(approval, software_signer(pki.ali), clock=pki.clock)

    verdict = verify_approval(
        dataclasses.replace(approval, decision={**approval.decision, "amount": 920_000_000}),
        signature,
        trust=pki.trust,
        clock=pki.clock,
    )

    assert verdict.codes == ("altered",)
    assert "علی رضایی" in verdict.reasons[0].message and DOCUMENT in verdict.reasons[0].message


def test_a_certificate_expired_at_signing_time_is_reported_with_its_end_date(pki: Pki) -> None:
    approval = approval_by("ali")
    signature = sign_approval(approval, software_signer(pki.expired), clock=pki.clock)

    verdict = verify_approval(approval, signature, trust=pki.trust, clock=pki.clock)

    assert "expired" in verdict.codes
    message = next(r.message for r in verdict.reasons if r.code == "expired")
    assert "علی رضایی" in message
    assert pki.expired.certificate.not_valid_after_utc.isoformat() in message


def test_a_certificate_from_an_untrusted_ca_is_reported_with_its_issuer(pki: Pki) -> None:
    approval = approval_by("ali")
    signature = sign_approval(approval, software_signer(pki.stranger), clock=pki.clock)

    verdict = verify_approval(approval, signature, trust=pki.trust, clock=pki.clock)

    assert verdict.codes == ("untrusted",)
    assert "Unknown Root CA" in verdict.reasons[0].message
    assert verdict.signer_user == "ali"  # the name claims ali; the chain is what exposes it


def test_a_certificate_revoked_before_signing_is_reported_from_the_crl(pki: Pki) -> None:
    approval = approval_by("reza")
    signature = sign_approval(approval, software_signer(pki.reza), clock=pki.clock)

    verdict = verify_approval(approval, signature, trust=pki.trust, clock=pki.clock)

    assert verdict.codes == ("revoked",)
    assert "رضا کریمی" in verdict.reasons[0].message and "key_compromise" in verdict.reasons[0].message


def test_without_a_configured_crl_revocation_is_not_checked(pki: Pki) -> None:
    approval = approval_by("reza")
    signature = sign_approval(approval, software_signer(pki.reza), clock=pki.clock)

    verdict = verify_approval(approval, signature, trust=TrustStore(pki.trust.roots), clock=pki.clock)

    assert verdict.ok, verdict.summary()


def test_a_revocation_after_the_signing_time_leaves_the_signature_valid(pki: Pki) -> None:
    now = pki.clock.now()
    certificate = ca.issue_user_certificate(
        pki.root,
        pki.ali.key.public_key(),
        user="ali",
        display_name="علی رضایی",
        clock=pki.clock,
        not_before=now - dt.timedelta(days=10),
    )
    revoked_yesterday = ca.issue_crl(
        pki.root, [ca.Revocation(certificate.serial_number, now - dt.timedelta(days=1))], pki.clock
    )
    signed_on = FixedClock(now - dt.timedelta(days=3))
    approval = approval_by("ali")
    signer = software_signer(ca.Credential(pki.ali.key, certificate, pki.ali.chain))
    signature = sign_approval(approval, signer, clock=signed_on)
    trust = TrustStore(pki.trust.roots, (revoked_yesterday,))

    assert verify_approval(approval, signature, trust=trust, clock=pki.clock).ok
    late = verify_approval(approval, signature, trust=trust, clock=pki.clock, signed_at=now)
    assert late.codes == ("revoked",)


def test_another_users_signature_swapped_in_is_reported(pki: Pki) -> None:
    alis, saras = approval_by("ali"), approval_by("sara")
    saras_signature = sign_approval(saras, software_signer(pki.sara), clock=pki.clock)

    verdict = verify_approval(alis, saras_signature, trust=pki.trust, clock=pki.clock)

    assert verdict.codes == ("altered", "wrong_signer")
    assert "سارا احمدی" in verdict.reasons[1].message and "'ali'" in verdict.reasons[1].message


def test_another_user_signing_the_same_bytes_is_the_wrong_signer(pki: Pki) -> None:
    alis = approval_by("ali")
    signature = sign_detached(canonical_bytes(alis), software_signer(pki.sara), clock=pki.clock)

    verdict = verify_approval(alis, signature, trust=pki.trust, clock=pki.clock)

    assert verdict.codes == ("wrong_signer",)
    with pytest.raises(ValidationError) as raised:
        verdict.require()
    assert raised.value.details == [{"code": "wrong_signer", "message": verdict.reasons[0].message}]


def test_a_certificate_without_non_repudiation_is_reported(pki: Pki) -> None:
    approval = approval_by("ali")
    signature = sign_approval(approval, software_signer(pki.no_repudiation), clock=pki.clock)

    verdict = verify_approval(approval, signature, trust=pki.trust, clock=pki.clock)

    assert verdict.codes == ("key_usage",)


def test_a_signature_made_before_the_certificate_was_valid_is_reported(pki: Pki) -> None:
    early = FixedClock(pki.ali.certificate.not_valid_before_utc - dt.timedelta(days=2))
    signature = sign_detached(b"minutes", software_signer(pki.ali), clock=early)

    verdict = verify_detached(b"minutes", signature, trust=pki.trust, clock=pki.clock, document="minutes")

    assert verdict.codes == ("not_yet_valid",)


def test_the_recorded_signing_time_overrides_the_one_the_signer_claims(pki: Pki) -> None:
    signature = sign_detached(b"minutes", software_signer(pki.ali), clock=pki.clock)
    much_later = pki.ali.certificate.not_valid_after_utc + dt.timedelta(days=1)

    verdict = verify_detached(
        b"minutes", signature, trust=pki.trust, clock=pki.clock, document="minutes", signed_at=much_later
    )

    assert verdict.codes[0] == "expired"


def test_an_ec_key_signs_and_verifies_like_an_rsa_one(pki: Pki) -> None:
    credential = ca.issue_user(
        pki.root, user="mina", display_name="مینا", clock=pki.clock, key=ca.new_key("ec")
    )
    signature = sign_detached(b"data", software_signer(credential), clock=pki.clock)

    verdict = verify_detached(
        b"data", signature, trust=pki.trust, clock=pki.clock, document="d", expected_user="mina"
    )

    # No CRL names mina's certificate as revoked, and the trust store's CRL covers its issuer.
    assert verdict.ok, verdict.summary()


def test_bytes_that_are_not_a_signature_are_invalid_input(pki: Pki) -> None:
    with pytest.raises(InvalidInput, match="not a CMS SignedData"):
        verify_detached(b"data", b"\x30\x03garbage", trust=pki.trust, clock=pki.clock, document="d")
