"""Demo certificates for ``init-db --demo``: a root CA, its CRL, a timestamping key, one PKCS#12 per user.

``issue_demo_credentials(people, out_dir, clock)`` writes::

    out_dir/trust/root.pem        the demo root: the trust directory for signatures.trust.load_trust
    out_dir/trust/root.crl        its CRL (empty), so signatures are checked for revocation and PAdES is B-LT
    out_dir/ca/root-ca.p12        the root's key and certificate, to issue more users or a new CRL
    out_dir/ca/tsa.p12            the local timestamping authority (signatures.pdf.local_timestamper)
    out_dir/users/<name>.p12      each user's signing key and certificate (subject UID = user name)
    out_dir/server/seal.p12       the server's seal (subject UID ``SEAL_USER``): checkpoints, packages, PDFs

Every file is protected by ``password`` (``DEMO_PASSWORD`` unless given). Run again on the same folder,
it keeps the root and the existing user files, adds the missing users and writes a fresh CRL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives import serialization

from engine.clock import Clock
from signatures import ca
from signatures.keystore import load_pkcs12, save_pkcs12

DEMO_PASSWORD = "nezarat-demo"
SEAL_USER = "nezarat-seal"
SEAL_TITLE = "مهر سامانهٔ نظارت"


class Person(Protocol):
    """What a certificate is issued to (``engine.directory.Person`` fits; the store stays out of reach)."""

    @property
    def name(self) -> str: ...

    @property
    def title(self) -> str | None: ...

    @property
    def email(self) -> str | None: ...


@dataclasses.dataclass(frozen=True)
class DemoCredentials:
    trust_dir: Path
    ca_file: Path
    tsa_file: Path
    user_files: Mapping[str, Path]
    seal_file: Path
    password: str


def issue_demo_credentials(
    people: Iterable[Person], out_dir: Path, clock: Clock, password: str = DEMO_PASSWORD
) -> DemoCredentials:
    """Write (or complete) the demo PKI for ``people`` under ``out_dir``; see the module docstring."""
    ca_file, tsa_file = out_dir / "ca" / "root-ca.p12", out_dir / "ca" / "tsa.p12"
    authority = _authority(ca_file, password, clock)
    if not tsa_file.exists():
        save_pkcs12(ca.issue_timestamping(authority, clock), tsa_file, password, friendly_name="tsa")
    user_files = {}
    for person in people:
        path = out_dir / "users" / f"{person.name}.p12"
        if not path.exists():
            credential = ca.issue_user(
                authority,
                user=person.name,
                display_name=person.title or person.name,
                title=person.title,
                clock=clock,
                email=person.email,
            )
            save_pkcs12(credential, path, password, friendly_name=person.name)
        user_files[person.name] = path
    seal_file = out_dir / "server" / "seal.p12"
    if not seal_file.exists():
        seal = ca.issue_user(authority, user=SEAL_USER, display_name=SEAL_TITLE, title=None, clock=clock)
        save_pkcs12(seal, seal_file, password, friendly_name=SEAL_USER)
    trust_dir = out_dir / "trust"
    trust_dir.mkdir(parents=True, exist_ok=True)
    pem = serialization.Encoding.PEM
    (trust_dir / "root.pem").write_bytes(authority.certificate.public_bytes(pem))
    (trust_dir / "root.crl").write_bytes(ca.issue_crl(authority, [], clock, days=365).public_bytes(pem))
    return DemoCredentials(trust_dir, ca_file, tsa_file, user_files, seal_file, password)


def _authority(ca_file: Path, password: str, clock: Clock) -> ca.CertificateAuthority:
    if ca_file.exists():
        loaded = load_pkcs12(ca_file, password)
        return ca.CertificateAuthority(loaded.key, loaded.certificate)
    authority = ca.create_root(clock)
    save_pkcs12(authority.credential, ca_file, password, friendly_name="root-ca")
    return authority
