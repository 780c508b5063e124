"""The demo CA issues what verifiers expect: a CA root, signing certificates that name the user, a
timestamping certificate, and CRLs signed by the root."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from signatures import ca, cms
from signatures.canonical import Approval
from signatures.keystore import software_signer
from tests.signatures.signing_support import Pki


def test_the_root_is_a_ca_that_signs_certificates_and_crls(pki: Pki) -> None:
    root = pki.root.certificate
    usage = root.extensions.get_extension_for_class(x509.KeyUsage)

    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
    root.verify_directly_issued_by(root)


def test_a_user_certificate_names_the_user_and_allows_non_repudiation(pki: Pki) -> None:
    certificate = pki.ali.certificate
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
    purposes = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value

    assert ca.user_of(certificate) == "ali"
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "علی رضایی"
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_encipherment
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in purposes
    assert not certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    certificate.verify_directly_issued_by(pki.root.certificate)


def test_validity_starts_at_the_clock_not_the_machine(pki: Pki) -> None:
    assert pki.ali.certificate.not_valid_before_utc == pki.clock.now() - dt.timedelta(minutes=5)
    assert pki.ali.certificate.not_valid_after_utc - pki.ali.certificate.not_valid_before_utc == dt.timedelta(
        days=730
    )


def test_the_timestamping_certificate_has_the_critical_time_stamping_purpose(pki: Pki) -> None:
    purposes = pki.tsa.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)

    assert purposes.critical and list(purposes.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def test_the_crl_lists_the_revoked_serial_and_is_signed_by_the_root(pki: Pki) -> None:
    entry = pki.crl.get_revoked_certificate_by_serial_number(pki.reza.certificate.serial_number)

    assert entry is not None
    assert (
        entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
        == x509.ReasonFlags.key_compromise
    )
    assert pki.crl.get_revoked_certificate_by_serial_number(pki.ali.certificate.serial_number) is None
    assert pki.crl.is_signature_valid(pki.root.key.public_key())  # type: ignore[arg-type]
    assert pki.crl.last_update_utc == pki.clock.now()


def test_an_email_goes_into_the_subject_alternative_name(pki: Pki) -> None:
    credential = ca.issue_user(
        pki.root, user="mina", display_name="مینا", clock=pki.clock, key=pki.ali.key, email="mina@example.ir"
    )
    names = credential.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value

    assert names.get_values_for_type(x509.RFC822Name) == ["mina@example.ir"]


def test_a_title_longer_than_a_common_name_may_be_is_cut_at_a_word_and_kept_whole_as_title(pki: Pki) -> None:
    title = "کارشناس سازمان شهرداری‌ها و دهیاری‌های کشور"
    credential = ca.issue_user(
        pki.root, user="national_1", display_name=title, title=title, clock=pki.clock, key=pki.ali.key
    )
    subject = credential.certificate.subject
    name = str(subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)

    assert len(name.encode("utf-8")) <= 64
    assert title.startswith(name) and title[len(name)] == " "  # cut where a word ends
    assert subject.get_attributes_for_oid(NameOID.TITLE)[0].value == title


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("عضو هیئت حل اختلاف — نمایندهٔ", "عضو هیئت حل اختلاف — نماینده"),  # a trailing hamza is not a letter
        ("«کارشناس بودجه»", "کارشناس بودجه"),  # nor are quotes around it
        ("مدیر IT استانداری", "مدیر استانداری"),  # Latin words cannot sit in a Persian name
        ("Budget expert", "Budget expert"),  # left-to-right text is left alone
    ],
)
def test_names_are_made_valid_directory_strings(given: str, kept: str) -> None:
    assert ca.directory_string(given) == kept


def test_a_long_persian_title_ending_in_a_hamza_still_validates(pki: Pki) -> None:
    # asn1crypto refuses to compare names that break RFC 3454's bidi rule, which stopped path validation
    title = "عضو هیئت حل اختلاف — نمایندهٔ شورای اسلامی استان و نمایندهٔ وزارت کشور در هیئت"
    credential = ca.issue_user(
        pki.root, user="board_3", display_name=title, title=title, clock=pki.clock, key=pki.sara.key
    )
    approval = Approval("board_3", "i-1", "t-1", "0" * 64, {"ruling": "accepted"})

    signature = cms.sign_approval(approval, software_signer(credential), clock=pki.clock)

    assert cms.verify_approval(approval, signature, trust=pki.trust, clock=pki.clock).ok
