"""Software keys: PKCS#12 files protected by a password, and the pyHanko signer for a loaded key.

Files are written with ``BestAvailableEncryption`` (PBES2, AES-256-CBC, SHA-256 MAC with cryptography
50), hold the key, its certificate and the chain, and open in OpenSSL, browsers and pyHanko's CLI.
A token key never passes through here: see ``signatures.token``.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from engine.errors import InvalidInput, NotFound
from signatures.ca import Credential
from signatures.der import asn1_certificate, asn1_private_key


def pkcs12_bytes(credential: Credential, password: str, *, friendly_name: str | None = None) -> bytes:
    if not password:
        raise InvalidInput("رمز پروندهٔ کلید خالی است (a PKCS#12 file needs a password)")
    name = friendly_name or credential.user or "nezarat"
    return pkcs12.serialize_key_and_certificates(
        name=name.encode("utf-8"),
        key=credential.key,
        cert=credential.certificate,
        cas=list(credential.chain) or None,
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode("utf-8")),
    )


def save_pkcs12(
    credential: Credential, path: Path, password: str, *, friendly_name: str | None = None
) -> Path:
    """Write ``credential`` to ``path`` (readable by its owner only) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pkcs12_bytes(credential, password, friendly_name=friendly_name))
    path.chmod(0o600)
    return path


def load_pkcs12(path: Path, password: str) -> Credential:
    """The key, certificate and chain of a PKCS#12 file; a wrong password is :class:`InvalidInput`."""
    if not path.is_file():
        raise NotFound(f"پروندهٔ کلید پیدا نشد: {path.name} (PKCS#12 file not found: {path})")
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            path.read_bytes(), password.encode("utf-8")
        )
    except ValueError as error:
        raise InvalidInput(
            f"رمز پروندهٔ کلید {path.name} نادرست است یا پرونده خراب است (cannot open {path.name}: {error})",
            hint="check the password given with the PKCS#12 file",
            file=str(path),
        ) from error
    if key is None or certificate is None:
        raise InvalidInput(
            f"پروندهٔ {path.name} کلید و گواهی امضا ندارد ({path.name} holds no key and certificate)"
        )
    return Credential(key, certificate, tuple(chain))  # type: ignore[arg-type]


def software_signer(credential: Credential) -> SimpleSigner:
    """A pyHanko signer over an in-memory key; ``signatures.cms`` and ``signatures.pdf`` take any signer."""
    return SimpleSigner(
        signing_cert=asn1_certificate(credential.certificate),
        signing_key=asn1_private_key(credential.key),
        cert_registry=SimpleCertificateStore.from_certs([asn1_certificate(c) for c in credential.chain]),
    )
