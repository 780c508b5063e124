"""Signing with a key that lives on a PKCS#11 token (SoftHSM2 from Debian, initialised per session).

The key is generated on the token; the tests show the token marks it sensitive and never extractable,
refuses to reveal its private exponent, and still signs approvals and PDFs that verify.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pkcs11
import pytest
from pkcs11 import Attribute, ObjectClass

from engine.errors import InvalidInput, NotFound
from signatures import ca
from signatures.cms import sign_approval, verify_approval
from signatures.pdf import local_timestamper, sign_pdf, verify_pdf
from signatures.stamp import StampFace
from signatures.token import (
    generate_signing_key,
    key_protection,
    open_token,
    softhsm_module,
    store_certificate,
    token_signer,
)
from tests.signatures.signing_support import Pki, approval_by, pdfsig
from tests.support.tools import require

LABEL, PIN, SO_PIN, KEY = "NezaratTest", "1234", "87654321", "maryam"


@pytest.fixture(scope="module")
def module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """SoftHSM2 with a fresh token in a temp dir; SOFTHSM2_CONF points there while this module runs."""
    require("softhsm2-util", "softhsm2")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", LABEL, "--so-pin", SO_PIN, "--pin", PIN],
        check=True,
        capture_output=True,
    )
    yield softhsm_module()
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@pytest.fixture(scope="module")
def enrolled(module: Path, pki: Pki) -> ca.CertificateAuthority:
    """maryam's key is made on the token; the CA certifies its public key; the certificate goes back on it."""
    with open_token(module, LABEL, PIN) as session:
        public_key = generate_signing_key(session, KEY, key_id=b"\x02")
        certificate = ca.issue_user_certificate(
            pki.root, public_key, user="maryam", display_name="مریم حسینی", clock=pki.clock
        )
        store_certificate(session, KEY, certificate, key_id=b"\x02")
    return pki.root


@pytest.fixture
def session(module: Path, enrolled: ca.CertificateAuthority) -> Iterator[Any]:
    with open_token(module, LABEL, PIN) as opened:
        yield opened


def test_the_module_is_found_where_debian_installs_it(module: Path) -> None:
    assert module.name == "libsofthsm2.so" and module.is_file()


def test_the_key_is_sensitive_never_extractable_and_made_on_the_token(session: Any) -> None:
    protection = key_protection(session, KEY)

    assert protection.stays_on_token
    assert protection.generated_on_token
    key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=KEY)
    with pytest.raises(pkcs11.exceptions.AttributeSensitive):
        key[Attribute.PRIVATE_EXPONENT]


def test_an_approval_signed_through_the_token_verifies_as_its_owner(pki: Pki, session: Any) -> None:
    approval = approval_by("maryam")
    signer = token_signer(session, KEY, chain=[pki.root.certificate])

    signature = sign_approval(approval, signer, clock=pki.clock)
    verdict = verify_approval(approval, signature, trust=pki.trust, clock=pki.clock)

    assert verdict.ok, verdict.summary()
    assert (verdict.signer, verdict.signer_user) == ("مریم حسینی", "maryam")


def test_a_pdf_signed_through_the_token_verifies_with_pyhanko_and_pdfsig(
    pki: Pki, session: Any, face: StampFace, letter: bytes, nss_db: Path, tmp_path: Path
) -> None:
    signed = sign_pdf(
        letter,
        token_signer(session, KEY, chain=[pki.root.certificate]),
        trust=pki.trust,
        timestamper=local_timestamper(pki.tsa, pki.clock),
        clock=pki.clock,
        face=face,
        document="letter",
    )
    path = tmp_path / "token.pdf"
    path.write_bytes(signed)

    (verdict,) = verify_pdf(signed, trust=pki.trust, clock=pki.clock, document="letter")
    assert verdict.ok and verdict.signer_user == "maryam", verdict.summary()
    report = pdfsig(nss_db, path)
    assert "Signature is Valid." in report and "Certificate is Trusted." in report, report


def test_a_wrong_pin_is_invalid_input(module: Path, enrolled: ca.CertificateAuthority) -> None:
    with pytest.raises(InvalidInput, match="wrong PIN"), open_token(module, LABEL, "0000"):
        pass


def test_an_unknown_token_label_is_not_found(module: Path) -> None:
    with (
        pytest.raises(NotFound, match="no PKCS#11 token labelled 'Missing'"),
        open_token(module, "Missing", PIN),
    ):
        pass
