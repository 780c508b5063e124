"""Keys on PKCS#11 tokens (USB tokens, HSMs; SoftHSM2 in tests and the demo) through python-pkcs11.

A token key is generated on the token as sensitive and non-extractable, so its private part never
exists outside it: this module can read the public key, store the certificate next to the key, report
how the key is protected, and hand pyHanko a ``PKCS11Signer`` that asks the token for each signature.
Nothing here reads, wraps or exports a private key. The module path of the vendor's PKCS#11 library
and the token label come from configuration; :func:`softhsm_module` finds Debian's SoftHSM2 library.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pkcs11 import Attribute, KeyType, ObjectClass
from pkcs11.util.x509 import decode_x509_certificate
from pyhanko.sign.pkcs11 import PKCS11Signer

from engine.errors import InvalidInput, NotFound
from signatures.der import asn1_certificate

SOFTHSM_PLACES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/*/softhsm/libsofthsm2.so",
    "/usr/lib64/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)


@dataclasses.dataclass(frozen=True)
class KeyProtection:
    """The PKCS#11 attributes that say whether a private key can ever leave its token."""

    sensitive: bool
    extractable: bool
    always_sensitive: bool
    never_extractable: bool
    generated_on_token: bool

    @property
    def stays_on_token(self) -> bool:
        return self.sensitive and self.always_sensitive and self.never_extractable and not self.extractable


def softhsm_module() -> Path:
    """Where SoftHSM2's PKCS#11 library is installed on this machine."""
    for place in SOFTHSM_PLACES:
        found = sorted(Path("/").glob(place.lstrip("/")))
        if found:
            return found[0]
    raise NotFound(
        "کتابخانهٔ SoftHSM2 نصب نیست (SoftHSM2's PKCS#11 library libsofthsm2.so was not found)",
        hint="install Debian's softhsm2 package (make system-deps)",
    )


@contextmanager
def open_token(module: Path, label: str, pin: str) -> Iterator[Any]:
    """A logged-in read-write session on the token called ``label``; closed on exit."""
    if not module.is_file():
        raise NotFound(f"کتابخانهٔ PKCS#11 پیدا نشد: {module} (PKCS#11 module not found)")
    try:
        token = pkcs11.lib(str(module)).get_token(token_label=label)
        session = token.open(user_pin=pin, rw=True)
    except pkcs11.exceptions.NoSuchToken as error:
        raise NotFound(
            f"توکن «{label}» پیدا نشد (no PKCS#11 token labelled '{label}')",
            hint="plug the token in, or check the token label (softhsm2-util --show-slots)",
        ) from error
    except (
        pkcs11.exceptions.PinIncorrect,
        pkcs11.exceptions.PinInvalid,
        pkcs11.exceptions.PinLenRange,
    ) as error:
        raise InvalidInput(f"رمز توکن «{label}» نادرست است (wrong PIN for token '{label}')") from error
    try:
        yield session
    finally:
        session.close()


def generate_signing_key(session: Any, label: str, *, key_id: bytes, bits: int = 2048) -> rsa.RSAPublicKey:
    """Generate an RSA key pair on the token (private half sensitive, non-extractable); return the public key."""
    public, _private = session.generate_keypair(
        KeyType.RSA,
        bits,
        id=key_id,
        label=label,
        store=True,
        public_template={Attribute.VERIFY: True, Attribute.ENCRYPT: False, Attribute.WRAP: False},
        private_template={
            Attribute.SIGN: True,
            Attribute.PRIVATE: True,
            Attribute.SENSITIVE: True,
            Attribute.EXTRACTABLE: False,
            Attribute.DECRYPT: False,
            Attribute.UNWRAP: False,
        },
    )
    numbers = rsa.RSAPublicNumbers(
        int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
        int.from_bytes(public[Attribute.MODULUS], "big"),
    )
    return numbers.public_key()


def store_certificate(session: Any, label: str, certificate: x509.Certificate, *, key_id: bytes) -> None:
    """Put ``certificate`` on the token beside its key (same label and id), as issuing software does."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    attributes = decode_x509_certificate(der)
    attributes.update({Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: key_id})
    session.create_object(attributes)


def key_protection(session: Any, label: str) -> KeyProtection:
    key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=label)
    return KeyProtection(
        sensitive=bool(key[Attribute.SENSITIVE]),
        extractable=bool(key[Attribute.EXTRACTABLE]),
        always_sensitive=bool(key[Attribute.ALWAYS_SENSITIVE]),
        never_extractable=bool(key[Attribute.NEVER_EXTRACTABLE]),
        generated_on_token=bool(key[Attribute.LOCAL]),
    )


def token_signer(session: Any, label: str, *, chain: Sequence[x509.Certificate] = ()) -> PKCS11Signer:
    """A pyHanko signer whose key and certificate are the token objects called ``label``."""
    return PKCS11Signer(
        session,
        cert_label=label,
        key_label=label,
        ca_chain=[asn1_certificate(c) for c in chain],
    )
