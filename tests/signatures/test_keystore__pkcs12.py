"""PKCS#12 files: written with a password, read back, readable by OpenSSL, refused with a wrong password."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from engine.errors import InvalidInput, NotFound
from signatures.keystore import load_pkcs12, save_pkcs12
from tests.signatures.signing_support import Pki
from tests.support.tools import require


def test_a_saved_file_loads_back_key_certificate_and_chain(pki: Pki, tmp_path: Path) -> None:
    path = save_pkcs12(pki.ali, tmp_path / "ali.p12", "رمز-۱۲۳")

    loaded = load_pkcs12(path, "رمز-۱۲۳")

    assert loaded.certificate == pki.ali.certificate
    assert loaded.chain == (pki.root.certificate,)
    assert loaded.key.public_key() == pki.ali.key.public_key()
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_wrong_password_is_invalid_input_naming_the_file(pki: Pki, tmp_path: Path) -> None:
    path = save_pkcs12(pki.ali, tmp_path / "ali.p12", "right")

    with pytest.raises(InvalidInput, match=r"ali\.p12"):
        load_pkcs12(path, "wrong")


def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        load_pkcs12(tmp_path / "nobody.p12", "x")


def test_an_empty_password_is_refused(pki: Pki, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="needs a password"):
        save_pkcs12(pki.ali, tmp_path / "ali.p12", "")


def test_openssl_opens_the_file_with_the_password(pki: Pki, tmp_path: Path) -> None:
    require("openssl", "openssl")
    path = save_pkcs12(pki.ali, tmp_path / "ali.p12", "secret")

    done = subprocess.run(
        ["openssl", "pkcs12", "-in", str(path), "-passin", "pass:secret", "-nokeys", "-clcerts"],
        capture_output=True,
        text=True,
        check=True,
    )

    assert "UID=ali" in done.stdout or "UID = ali" in done.stdout
