"""What verification trusts: root certificates and, when configured, certificate revocation lists.

A trust directory holds certificates (``*.pem``, ``*.crt``, ``*.cer``; PEM, possibly several per file,
or DER) and CRLs (``*.crl``, PEM or DER). Every certificate found is a trust anchor. When the directory
holds at least one CRL, revocation is checked strictly: each certificate below an anchor must be covered
by a CRL (from the directory or embedded in a signed PDF), and one revoked on or before the signing time
fails. CRLs are applied retroactively: a CRL published after the signature still says whether the
certificate had been revoked when it signed (acceptable because our CAs do not use certificate holds).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko_certvalidator import ValidationContext

from engine.errors import InvalidInput, NotFound
from signatures.der import asn1_certificate, asn1_crl_of

CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer")
CRL_SUFFIX = ".crl"


@dataclasses.dataclass(frozen=True)
class TrustStore:
    roots: tuple[x509.Certificate, ...]
    crls: tuple[x509.CertificateRevocationList, ...] = ()

    @property
    def checks_revocation(self) -> bool:
        return bool(self.crls)

    def is_root(self, certificate: x509.Certificate) -> bool:
        return any(certificate == root for root in self.roots)

    def context_options(self, moment: dt.datetime, *, embedded_revocation: bool = False) -> dict[str, Any]:
        """Keyword arguments for pyhanko-certvalidator's ``ValidationContext``: offline, at ``moment``.

        ``embedded_revocation`` says the signature brings its own CRLs (a PAdES B-LT document security
        store); revocation is then required even when this store holds none.
        """
        options: dict[str, Any] = {
            "trust_roots": [asn1_certificate(root) for root in self.roots],
            "moment": moment,
            "allow_fetching": False,
            "crls": [asn1_crl_of(c) for c in self.crls],
        }
        if self.checks_revocation or embedded_revocation:
            # "hard-fail" only consults CRLs that a certificate points to; "require" uses the ones we hold.
            options.update(revocation_mode="require", retroactive_revinfo=True)
        return options

    def validation_context(self, moment: dt.datetime) -> ValidationContext:
        return ValidationContext(**self.context_options(moment))


def load_trust(directory: Path) -> TrustStore:
    """Read every certificate and CRL of ``directory`` (not its subfolders), in name order."""
    if not directory.is_dir():
        raise NotFound(
            f"پوشهٔ گواهی‌های مورد اعتماد پیدا نشد: {directory} (trust directory not found)",
            hint="put the root certificates (*.pem) and CRLs (*.crl) the signatures must chain to there",
        )
    roots: list[x509.Certificate] = []
    crls: list[x509.CertificateRevocationList] = []
    for path in sorted(directory.iterdir()):
        suffix = path.suffix.lower()
        if suffix in CERTIFICATE_SUFFIXES:
            roots += _read(path, _certificates)
        elif suffix == CRL_SUFFIX:
            crls.append(_read(path, _crl))
    if not roots:
        raise InvalidInput(
            f"در پوشهٔ {directory} هیچ گواهی ریشه‌ای نیست (no trust root certificate in {directory})",
            hint="add the issuing root as a .pem, .crt or .cer file",
        )
    return TrustStore(tuple(roots), tuple(crls))


def write_trust(store: TrustStore, directory: Path) -> None:
    """Write ``store`` as a trust directory :func:`load_trust` reads back (root-N.pem, crl-N.crl)."""
    directory.mkdir(parents=True, exist_ok=True)
    for number, root in enumerate(store.roots, start=1):
        (directory / f"root-{number}.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    for number, crl in enumerate(store.crls, start=1):
        (directory / f"crl-{number}.crl").write_bytes(crl.public_bytes(serialization.Encoding.PEM))


def _read(path: Path, parse: Any) -> Any:
    try:
        return parse(path.read_bytes())
    except ValueError as error:
        raise InvalidInput(
            f"پرونده {path.name} گواهی یا فهرست ابطال معتبری نیست ({path}: {error})",
            hint="certificates must be PEM or DER X.509, CRLs PEM or DER",
            file=str(path),
        ) from error


def _certificates(data: bytes) -> list[x509.Certificate]:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def _crl(data: bytes) -> x509.CertificateRevocationList:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_crl(data)
    return x509.load_der_x509_crl(data)
