"""The outcome of verifying one signature: who signed what, when, and every reason it is not acceptable.

pyHanko says *whether* a signature holds; the reasons here say *why not* in words a clerk and an
auditor can act on, naming the document, the signer and the cause. Each reason has a stable English
``code`` (``altered``, ``bad_signature``, ``expired``, ``not_yet_valid``, ``revoked``, ``untrusted``,
``key_usage``, ``wrong_signer``, ``modified``, ``unverified``) and a message in Persian with the English
after it in parentheses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import NameOID
from pyhanko.sign.validation.status import StandardCMSSignatureStatus

from engine.errors import ValidationError
from engine.persian import jalali_datetime
from signatures.ca import user_of
from signatures.trust import TrustStore

_MAX_CHAIN = 8


@dataclasses.dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclasses.dataclass(frozen=True)
class Verdict:
    document: str
    signer: str
    signer_user: str | None
    certificate_serial: str
    signing_time: dt.datetime | None
    reasons: tuple[Reason, ...] = ()
    field: str | None = None

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)

    def summary(self) -> str:
        who = f"{self.signer} ({self.signer_user or 'no user id'})"
        when = self.signing_time.isoformat() if self.signing_time else "unknown time"
        head = f"{self.document}: signed by {who} at {when}"
        if self.ok:
            return f"{head}: valid"
        return f"{head}: rejected: " + "; ".join(f"{r.code}: {r.message}" for r in self.reasons)

    def require(self) -> Verdict:
        """This verdict if it is valid; otherwise :class:`ValidationError` carrying every reason."""
        if self.ok:
            return self
        raise ValidationError(
            f"امضای «{self.document}» پذیرفته نیست: " + "؛ ".join(r.message for r in self.reasons),
            hint=self.summary(),
            details=[dataclasses.asdict(r) for r in self.reasons],
        )


def judge(
    document: str,
    status: StandardCMSSignatureStatus,
    *,
    signing_time: dt.datetime,
    certificates: Sequence[x509.Certificate],
    trust: TrustStore,
    expected_user: str | None = None,
    field: str | None = None,
) -> Verdict:
    """Turn pyHanko's status into a :class:`Verdict`; ``certificates`` are those shipped with the signature."""
    signer = x509.load_der_x509_certificate(status.signing_cert.dump())
    name = display_name(signer)
    reasons = list(_integrity_reasons(document, status, name))
    problems = [
        *certificate_reasons(signer, at=signing_time, certificates=certificates, trust=trust),
        *_revocation_reasons(status, name),
    ]
    reasons += problems
    if status.intact and status.valid and not problems and not status.trusted:
        reasons.append(_unverified(status, name))
    reasons += _signer_reasons(signer, name, expected_user)
    return Verdict(
        document=document,
        signer=name,
        signer_user=user_of(signer),
        certificate_serial=f"{signer.serial_number:x}",
        signing_time=signing_time,
        reasons=tuple(reasons),
        field=field,
    )


def certificate_reasons(
    signer: x509.Certificate,
    *,
    at: dt.datetime,
    certificates: Sequence[x509.Certificate],
    trust: TrustStore,
) -> list[Reason]:
    """What is wrong with ``signer`` at ``at`` without revocation data: validity, chain, key usage."""
    name = display_name(signer)
    return [
        *_validity_reasons(signer, name, at),
        *_chain_reasons(signer, name, certificates, trust),
        *_usage_reasons(signer, name),
    ]


def display_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def _integrity_reasons(document: str, status: StandardCMSSignatureStatus, name: str) -> list[Reason]:
    if not status.intact:
        return [
            Reason(
                "altered",
                f"«{document}» پس از امضای {name} تغییر کرده است "
                f"({document} was changed after {name} signed it: the digest does not match)",
            )
        ]
    if not status.valid:
        return [
            Reason(
                "bad_signature",
                f"مقدار امضا با کلید گواهی {name} تأیید نمی‌شود "
                f"(the signature value does not verify with the public key of {name}'s certificate)",
            )
        ]
    return []


def _validity_reasons(signer: x509.Certificate, name: str, at: dt.datetime) -> list[Reason]:
    start, end = signer.not_valid_before_utc, signer.not_valid_after_utc
    if at > end:
        return [
            Reason(
                "expired",
                f"گواهی {name} در زمان امضا ({jalali_datetime(at)}) منقضی شده بود؛ اعتبارش تا {jalali_datetime(end)} بود "
                f"(certificate of {name} expired on {end.isoformat()}, before the signing time {at.isoformat()})",
            )
        ]
    if at < start:
        return [
            Reason(
                "not_yet_valid",
                f"گواهی {name} در زمان امضا ({jalali_datetime(at)}) هنوز معتبر نشده بود "
                f"(certificate of {name} is valid only from {start.isoformat()}, after the signing time {at.isoformat()})",
            )
        ]
    return []


def _revocation_reasons(status: StandardCMSSignatureStatus, name: str) -> list[Reason]:
    details = status.revocation_details
    if details is None:
        return []
    whose = f"گواهی صادرکنندهٔ {name}" if details.ca_revoked else f"گواهی {name}"
    whose_en = f"an issuer certificate of {name}" if details.ca_revoked else f"certificate of {name}"
    when = details.revocation_date
    why = details.revocation_reason.native
    return [
        Reason(
            "revoked",
            f"{whose} در {jalali_datetime(when)} باطل شده است، پیش از زمان امضا "
            f"({whose_en} was revoked on {when.isoformat()} ({why}), on or before the signing time)",
        )
    ]


def _chain_reasons(
    signer: x509.Certificate, name: str, certificates: Sequence[x509.Certificate], trust: TrustStore
) -> list[Reason]:
    current = signer
    for _ in range(_MAX_CHAIN):
        if trust.is_root(current):
            return []
        issuer = _issuer_of(current, [*trust.roots, *certificates])
        if issuer is None:
            break
        current = issuer
    issuer_name = current.issuer.rfc4514_string()
    return [
        Reason(
            "untrusted",
            f"گواهی {name} به هیچ ریشهٔ مورد اعتمادی نمی‌رسد؛ صادرکننده: {issuer_name} "
            f"(certificate of {name} does not chain to a configured trust root; issuer: {issuer_name})",
        )
    ]


def _issuer_of(certificate: x509.Certificate, pool: Sequence[x509.Certificate]) -> x509.Certificate | None:
    for candidate in pool:
        if candidate == certificate or candidate.subject != certificate.issuer:
            continue
        try:
            certificate.verify_directly_issued_by(candidate)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return candidate
    return None


def _usage_reasons(signer: x509.Certificate, name: str) -> list[Reason]:
    try:
        usage = signer.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and usage.content_commitment:
        return []
    return [
        Reason(
            "key_usage",
            f"گواهی {name} برای امضای سند (عدم انکار) صادر نشده است "
            f"(certificate of {name} lacks the nonRepudiation key usage that approvals require)",
        )
    ]


def _unverified(status: StandardCMSSignatureStatus, name: str) -> Reason:
    problem = status.trust_problem_indic.name if status.trust_problem_indic else "no validation path"
    return Reason(
        "unverified",
        f"اعتبار گواهی {name} تأیید نشد ({problem}) "
        f"(certificate of {name} could not be validated: {problem}; is a CRL for its issuer configured?)",
    )


def _signer_reasons(signer: x509.Certificate, name: str, expected_user: str | None) -> list[Reason]:
    actual = user_of(signer)
    if expected_user is None or actual == expected_user:
        return []
    return [
        Reason(
            "wrong_signer",
            f"این امضا از {name} (کاربر {actual or 'نامعلوم'}) است، نه از کاربر {expected_user} "
            f"(signed by {name}, user '{actual}', but the signer must be user '{expected_user}')",
        )
    ]
