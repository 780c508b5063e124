"""Trust roots and CRLs come from a directory: PEM or DER, several certificates a file, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from engine.errors import InvalidInput, NotFound
from signatures.trust import TrustStore, load_trust, write_trust
from tests.signatures.signing_support import Pki

PEM, DER = serialization.Encoding.PEM, serialization.Encoding.DER


def test_pem_bundles_der_certificates_and_crls_are_all_read(pki: Pki, tmp_path: Path) -> None:
    bundle = pki.root.certificate.public_bytes(PEM) + pki.stranger.chain[0].public_bytes(PEM)
    (tmp_path / "national.pem").write_bytes(bundle)
    (tmp_path / "other.cer").write_bytes(pki.tsa.certificate.public_bytes(DER))
    (tmp_path / "root.crl").write_bytes(pki.crl.public_bytes(DER))
    (tmp_path / "notes.txt").write_text("ignored")

    store = load_trust(tmp_path)

    assert store.roots == (pki.root.certificate, pki.stranger.chain[0], pki.tsa.certificate)
    assert store.crls == (pki.crl,) and store.checks_revocation


def test_what_write_trust_writes_load_trust_reads(pki: Pki, tmp_path: Path) -> None:
    write_trust(pki.trust, tmp_path / "trust")

    assert load_trust(tmp_path / "trust") == pki.trust


def test_revocation_is_required_only_when_crls_are_configured(pki: Pki) -> None:
    strict = pki.trust.context_options(pki.clock.now())
    lenient = TrustStore(pki.trust.roots).context_options(pki.clock.now())

    assert strict["revocation_mode"] == "require" and not strict["allow_fetching"]
    assert "revocation_mode" not in lenient


def test_a_missing_directory_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="trust directory not found"):
        load_trust(tmp_path / "absent")


def test_a_directory_without_roots_is_invalid(pki: Pki, tmp_path: Path) -> None:
    (tmp_path / "root.crl").write_bytes(pki.crl.public_bytes(PEM))

    with pytest.raises(InvalidInput, match="no trust root"):
        load_trust(tmp_path)


def test_a_broken_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken.pem").write_text(
        "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"
    )

    with pytest.raises(InvalidInput) as raised:
        load_trust(tmp_path)

    assert raised.value.file == str(tmp_path / "broken.pem")
