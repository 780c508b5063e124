"""Detached CMS/PKCS#7 signatures over bytes, and over approvals in their canonical form.

Signing goes through pyHanko's ``Signer`` interface, so a PKCS#12 key (``keystore.software_signer``)
and a token key (``token.token_signer``) take the same path and give the same DER ``SignedData``
(SHA-256, signed attributes with the signing time from the injected clock, the chain embedded).
Verification is pyHanko's ``async_validate_detached_cms`` with a ``ValidationContext`` at the signing
time, read through :func:`signatures.verdict.judge` into reasons people can act on.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from asn1crypto import cms as asn1_cms
from cryptography import x509
from pyhanko.sign.signers import Signer
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

from engine.clock import Clock
from engine.errors import InvalidInput
from signatures.canonical import Approval, canonical_bytes
from signatures.der import certificate_of
from signatures.trust import TrustStore
from signatures.verdict import Verdict, judge

DIGEST = "sha256"


def sign_detached(data: bytes, signer: Signer, *, clock: Clock) -> bytes:
    """A DER CMS ``SignedData`` over ``data`` that does not contain ``data`` (a ``.p7s``)."""
    attributes = PdfCMSSignedAttributes(signing_time=clock.now())
    signed = asyncio.run(
        signer.async_sign_general_data(data, DIGEST, detached=True, signed_attr_settings=attributes)
    )
    return bytes(signed.dump())


def sign_approval(approval: Approval, signer: Signer, *, clock: Clock) -> bytes:
    return sign_detached(canonical_bytes(approval), signer, clock=clock)


def verify_detached(
    data: bytes,
    signature: bytes,
    *,
    trust: TrustStore,
    clock: Clock,
    document: str,
    expected_user: str | None = None,
    signed_at: dt.datetime | None = None,
) -> Verdict:
    """Check ``signature`` over ``data``: integrity, chain to ``trust``, key usage, revocation, signer.

    Certificates are judged at ``signed_at`` (the time Nezarat recorded the signature) when given,
    else at the signing time the signer reported, else at the clock's now.
    """
    signed_data = _signed_data(signature, document)
    signer_info = signed_data["signer_infos"][0]
    at = signed_at or _reported_time(signer_info) or clock.now()
    status = asyncio.run(
        async_validate_detached_cms(data, signed_data, signer_validation_context=trust.validation_context(at))
    )
    return judge(
        document,
        status,
        signing_time=at,
        certificates=embedded_certificates(signed_data),
        trust=trust,
        expected_user=expected_user,
    )


def verify_approval(
    approval: Approval,
    signature: bytes,
    *,
    trust: TrustStore,
    clock: Clock,
    signed_at: dt.datetime | None = None,
) -> Verdict:
    """:func:`verify_detached` over the canonical approval; the signer must be ``approval.actor``."""
    return verify_detached(
        canonical_bytes(approval),
        signature,
        trust=trust,
        clock=clock,
        document=f"approval of task {approval.task_id} in instance {approval.instance_id}",
        expected_user=approval.actor,
        signed_at=signed_at,
    )


def certificates_in(signature: bytes, *, document: str = "signature") -> list[x509.Certificate]:
    """The certificates a detached CMS carries (the signer's and its chain)."""
    return embedded_certificates(_signed_data(signature, document))


def embedded_certificates(signed_data: asn1_cms.SignedData) -> list[x509.Certificate]:
    found = signed_data["certificates"]
    if not found:
        return []
    return [certificate_of(choice.chosen) for choice in found if choice.name == "certificate"]


def _signed_data(signature: bytes, document: str) -> asn1_cms.SignedData:
    try:
        info = asn1_cms.ContentInfo.load(signature)
        if info["content_type"].native != "signed_data":
            raise ValueError(f"content type is {info['content_type'].native}, not signed_data")
        signed_data: asn1_cms.SignedData = info["content"]
        if len(signed_data["signer_infos"]) != 1:
            raise ValueError(f"{len(signed_data['signer_infos'])} signers; exactly one is expected")
        return signed_data
    except (ValueError, TypeError) as error:
        raise InvalidInput(
            f"امضای «{document}» یک امضای CMS معتبر نیست (the signature of {document} is not a CMS SignedData: {error})",
            hint="expected the DER bytes of a detached PKCS#7/CMS signature (.p7s)",
        ) from error


def _reported_time(signer_info: asn1_cms.SignerInfo) -> dt.datetime | None:
    for attribute in signer_info["signed_attrs"]:
        if attribute["type"].native == "signing_time":
            when: dt.datetime = attribute["values"][0].native
            return when
    return None
