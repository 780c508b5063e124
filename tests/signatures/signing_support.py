"""Shared pieces of the signature tests: the PKI record, a sample approval, and running pdfsig."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

from cryptography import x509

from engine.clock import FixedClock
from signatures import ca
from signatures.canonical import Approval, digest_attachment
from signatures.trust import TrustStore


@dataclasses.dataclass(frozen=True)
class Pki:
    clock: FixedClock
    root: ca.CertificateAuthority
    ali: ca.Credential
    sara: ca.Credential
    reza: ca.Credential  # revoked a day before the session's "now"
    expired: ca.Credential  # ali's key under a certificate that ran out a month ago
    stranger: ca.Credential  # claims to be ali, issued by a CA nobody trusts
    no_repudiation: ca.Credential  # ali's key under a certificate for encryption only
    tsa: ca.Credential
    crl: x509.CertificateRevocationList
    trust: TrustStore


def approval_by(actor: str, **decision: object) -> Approval:
    return Approval(
        actor=actor,
        instance_id="1405-00042",
        task_id="Task_review_budget",
        definition_sha256="ab" * 32,
        decision={"approved": True, "note": "بودجهٔ پیشنهادی تأیید شد", **decision},
        attachments=(digest_attachment("بودجه-۱۴۰۵.xlsx", b"spreadsheet bytes"),),
    )


def pdfsig(nss_db: Path, pdf: Path) -> str:
    done = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss_db}", str(pdf)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return done.stdout + done.stderr
