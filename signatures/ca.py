"""A small certificate authority: a root, user signing certificates, a timestamping certificate, CRLs.

The demo organisation and the tests use it; production trusts the national roots instead (see
``signatures.trust``). User certificates carry the Nezarat user name in the subject's ``UID``
attribute, the person's title as the common name, key usage digitalSignature + nonRepudiation
(content commitment) and the extended key usages emailProtection and clientAuth; the timestamping
certificate has the critical extended key usage timeStamping that RFC 3161 requires.
Every validity window starts at the injected clock's now.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Iterable

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from engine.clock import Clock

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey
ORGANISATION = "Nezarat"
# Backdating by a few minutes lets a certificate issued "now" verify on machines whose clock is a little behind.
_SKEW = dt.timedelta(minutes=5)
_CN_LIMIT = 64


@dataclasses.dataclass(frozen=True)
class Credential:
    """A private key, its certificate and the chain up to (and including) the root."""

    key: PrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def user(self) -> str | None:
        return user_of(self.certificate)


@dataclasses.dataclass(frozen=True)
class CertificateAuthority:
    key: PrivateKey
    certificate: x509.Certificate

    @property
    def credential(self) -> Credential:
        return Credential(self.key, self.certificate, (self.certificate,))


@dataclasses.dataclass(frozen=True)
class Revocation:
    serial_number: int
    revoked_at: dt.datetime
    reason: x509.ReasonFlags = x509.ReasonFlags.key_compromise


def new_key(kind: str = "rsa") -> PrivateKey:
    """A fresh RSA-2048 key (what officials' tokens hold) or, with ``kind="ec"``, a P-256 key."""
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if kind != "rsa":
        raise ValueError(f"unknown key kind {kind!r}; use 'rsa' or 'ec'")
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def user_of(certificate: x509.Certificate) -> str | None:
    """The Nezarat user name a certificate was issued to (its subject ``UID``), if it names one."""
    values = certificate.subject.get_attributes_for_oid(NameOID.USER_ID)
    return str(values[0].value) if values else None


def common_name(display_name: str) -> str:
    """``display_name`` cut at a word end to the 64 bytes of UTF-8 that cryptography allows a common name,
    and made a valid directory string (:func:`directory_string`)."""
    text = directory_string(display_name)
    if len(text.encode("utf-8")) <= _CN_LIMIT:
        return text
    kept = ""
    for word in text.split():
        trial = f"{kept} {word}".strip()
        if len(trial.encode()) > _CN_LIMIT:
            break
        kept = trial
    while len(kept.encode()) > _CN_LIMIT:  # a first word longer than the limit on its own
        kept = kept[:-1]
    return directory_string(kept)


def directory_string(text: str) -> str:
    """``text`` as X.509 name matching (RFC 4518 string preparation, RFC 3454's bidi rule) accepts it.

    Certificate paths are validated by comparing names, and a name breaking the bidi rule stops the
    validation: right-to-left text must begin and end with a right-to-left letter and hold no
    left-to-right letter. So a trailing hamza (بودجهٔ), an ellipsis or a closing bracket is trimmed, and
    Persian mixed with Latin letters keeps only its Persian words.
    """
    kinds = [unicodedata.bidirectional(c) for c in text]
    if not any(k in ("R", "AL") for k in kinds):
        return text.strip()
    words = [w for w in text.split() if not any(unicodedata.bidirectional(c) == "L" for c in w)]
    cleaned = " ".join(words)
    start = next(i for i, c in enumerate(cleaned) if unicodedata.bidirectional(c) in ("R", "AL"))
    end = max(i for i, c in enumerate(cleaned) if unicodedata.bidirectional(c) in ("R", "AL"))
    return cleaned[start : end + 1]


def create_root(
    clock: Clock,
    *,
    common_name: str = "Nezarat Demo Root CA",
    days: int = 3650,
    key: PrivateKey | None = None,
) -> CertificateAuthority:
    """A self-signed root that may sign certificates and CRLs."""
    key = key or new_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    start = clock.now() - _SKEW
    usage = _key_usage(key_cert_sign=True, crl_sign=True)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CertificateAuthority(key, certificate)


def issue_user_certificate(
    ca: CertificateAuthority,
    public_key: PublicKey,
    *,
    user: str,
    display_name: str,
    clock: Clock,
    days: int = 730,
    email: str | None = None,
    title: str | None = None,
    not_before: dt.datetime | None = None,
    usage: x509.KeyUsage | None = None,
) -> x509.Certificate:
    """A signing certificate for ``user``; ``not_before``/``days`` and ``usage`` exist for tests of bad ones.

    The common name is ``display_name`` (shortened to fit), ``title`` the person's role, written in full.
    """
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "IR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name(display_name)),
        x509.NameAttribute(NameOID.USER_ID, user),
    ]
    if title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, directory_string(title)))
    subject = x509.Name(attributes)
    builder = _leaf(ca, subject, public_key, not_before or clock.now() - _SKEW, days)
    builder = builder.add_extension(
        usage or _key_usage(digital_signature=True, content_commitment=True), True
    )
    purposes = [ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH]
    builder = builder.add_extension(x509.ExtendedKeyUsage(purposes), critical=False)
    if email:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    return builder.sign(ca.key, hashes.SHA256())


def issue_user(
    ca: CertificateAuthority,
    *,
    user: str,
    display_name: str,
    clock: Clock,
    key: PrivateKey | None = None,
    email: str | None = None,
    title: str | None = None,
) -> Credential:
    """A key (new unless given) and a two-year signing certificate for it, with the chain."""
    key = key or new_key()
    certificate = issue_user_certificate(
        ca, key.public_key(), user=user, display_name=display_name, clock=clock, email=email, title=title
    )
    return Credential(key, certificate, (ca.certificate,))


def issue_timestamping(
    ca: CertificateAuthority, clock: Clock, *, key: PrivateKey | None = None, days: int = 3650
) -> Credential:
    """A certificate for the local RFC 3161 timestamping authority (``signatures.pdf`` uses it offline)."""
    key = key or new_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, "Nezarat Timestamping Authority"),
        ]
    )
    certificate = (
        _leaf(ca, subject, key.public_key(), clock.now() - _SKEW, days)
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    return Credential(key, certificate, (ca.certificate,))


def issue_crl(
    ca: CertificateAuthority, revoked: Iterable[Revocation], clock: Clock, *, days: int = 30, number: int = 1
) -> x509.CertificateRevocationList:
    """A CRL signed by ``ca``, valid from now for ``days``, listing ``revoked``."""
    now = clock.now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now)
        .next_update(now + dt.timedelta(days=days))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    for entry in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(entry.serial_number)
            .revocation_date(entry.revoked_at)
            .add_extension(x509.CRLReason(entry.reason), critical=False)
            .build()
        )
    return builder.sign(ca.key, hashes.SHA256())


def _leaf(
    ca: CertificateAuthority, subject: x509.Name, public_key: PublicKey, start: dt.datetime, days: int
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )


def _key_usage(**allowed: bool) -> x509.KeyUsage:
    flags = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    flags.update(allowed)
    return x509.KeyUsage(**flags)
