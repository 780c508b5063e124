"""PAdES signatures on generated PDFs (letters, decrees, the budget album) and their verification.

Signatures are PAdES B-LT: a CAdES-detached signature, an RFC 3161 timestamp, and a document security
store holding the certificates and the CRL the signer's certificate was checked against at signing
time, so the file verifies years later without a network. The timestamp comes from the caller's
``TimeStamper``: :func:`local_timestamper` is the offline one the demo and tests use (a local TSA
certificate from ``signatures.ca``); :func:`http_timestamper` asks a real TSA over HTTP (pyHanko's
``HTTPTimeStamper``). A TSA that cannot be reached or refuses is a :class:`HandlerError`
(``timestamp_unavailable``): nothing is signed, and the step that wanted the signature can be retried.
Each signature gets a visible Persian stamp (``signatures.stamp``) with the signer, role and time.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import io
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from asn1crypto import cms as asn1_cms
from cryptography import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature, async_validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from engine.clock import Clock
from engine.errors import HandlerError, InvalidInput, ValidationError
from signatures.ca import Credential
from signatures.cms import embedded_certificates
from signatures.der import asn1_certificate, asn1_private_key, certificate_of
from signatures.stamp import StampFace, StampText, draw_stamp
from signatures.trust import TrustStore
from signatures.verdict import Reason, Verdict, certificate_reasons, display_name, judge


@dataclasses.dataclass(frozen=True)
class Placement:
    """Where the signature field goes: its name, the page (0 = first, -1 = last) and the box in points."""

    field: str = "Signature1"
    page: int = 0
    box: tuple[float, float, float, float] = (40.0, 40.0, 250.0, 125.0)


def local_timestamper(tsa: Credential, clock: Clock) -> TimeStamper:
    """An in-process RFC 3161 timestamping authority whose tokens carry the clock's now."""
    return DummyTimeStamper(
        tsa_cert=asn1_certificate(tsa.certificate),
        tsa_key=asn1_private_key(tsa.key),
        certs_to_embed=SimpleCertificateStore.from_certs([asn1_certificate(c) for c in tsa.chain]),
        fixed_dt=clock.now(),
    )


TSA_TIMEOUT_SECONDS = 10


def http_timestamper(url: str) -> TimeStamper:
    """The RFC 3161 timestamping authority at ``url`` (HTTP POST of the request, as RFC 3161 says)."""
    return HTTPTimeStamper(url, timeout=TSA_TIMEOUT_SECONDS)


class _ClockedPdfSigner(signers.PdfSigner):
    """pyHanko's PDF signer with the signing time (the /M entry) taken from Nezarat's clock."""

    def __init__(self, *args: Any, clock: Clock, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clock = clock

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._clock.now()
        return session


def sign_pdf(
    pdf: bytes,
    signer: signers.Signer,
    *,
    trust: TrustStore,
    timestamper: TimeStamper,
    clock: Clock,
    face: StampFace,
    placement: Placement | None = None,
    role: str | None = None,
    reason: str | None = None,
    document: str = "PDF",
) -> bytes:
    """``pdf`` with one more PAdES B-LT signature and its visible stamp (an incremental update).

    Refuses (:class:`ValidationError`, naming the signer and the cause) to sign with a certificate that is
    expired, revoked, not for signing or not issued under ``trust``; ``trust`` must hold the CRL to embed.
    """
    place = placement or Placement()
    now = clock.now()
    certificate = _signing_certificate(signer, document)
    chain = [certificate_of(c) for c in signer.cert_registry]
    _require_signable(certificate, chain, trust, now, document)
    size = (place.box[2] - place.box[0], place.box[3] - place.box[1])
    stamp = draw_stamp(StampText(display_name(certificate), now, role, reason), face, size)
    with tempfile.TemporaryDirectory(prefix="nezarat-stamp-") as folder:
        appearance = Path(folder) / "stamp.pdf"
        appearance.write_bytes(stamp)
        pdf_signer = _ClockedPdfSigner(
            _metadata(place.field, reason, trust.validation_context(now)),
            signer=signer,
            timestamper=timestamper,
            stamp_style=StaticStampStyle.from_pdf_file(str(appearance), border_width=0),
            new_field_spec=fields.SigFieldSpec(place.field, on_page=place.page, box=place.box),
            clock=clock,
        )
        return _run_signer(pdf_signer, pdf, certificate_name=display_name(certificate), document=document)


def _metadata(field: str, reason: str | None, context: ValidationContext) -> signers.PdfSignatureMetadata:
    """PAdES (CAdES-detached, SHA-256) with the certificates and CRLs of ``context`` embedded: B-LT."""
    return signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        embed_validation_info=True,
        validation_context=context,
    )


def verify_pdf(
    pdf: bytes,
    *,
    trust: TrustStore,
    clock: Clock,
    document: str,
    expected_users: Mapping[str, str] | None = None,
) -> tuple[Verdict, ...]:
    """One verdict per signature in ``pdf``, in signing order; ``expected_users`` maps field → user name.

    Uses only what the file and ``trust`` hold (no network). Certificates are judged at the time of the
    signature's timestamp (else the time the signer reported).
    """
    reader = _reader(pdf, document)
    try:
        dss: DocumentSecurityStore | None = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        dss = None
    return tuple(
        _verify_one(
            signature, dss, trust=trust, clock=clock, document=document, expected=expected_users or {}
        )
        for signature in reader.embedded_regular_signatures
    )


def _verify_one(
    signature: EmbeddedPdfSignature,
    dss: DocumentSecurityStore | None,
    *,
    trust: TrustStore,
    clock: Clock,
    document: str,
    expected: Mapping[str, str],
) -> Verdict:
    at = _timestamp_time(signature.signer_info) or signature.self_reported_timestamp or clock.now()
    options = trust.context_options(at, embedded_revocation=bool(dss and dss.crls))
    context = dss.as_validation_context(options) if dss else ValidationContext(**options)
    status = asyncio.run(async_validate_pdf_signature(signature, context))
    verdict = judge(
        document,
        status,
        signing_time=at,
        certificates=embedded_certificates(signature.signed_data),
        trust=trust,
        expected_user=expected.get(signature.field_name),
        field=signature.field_name,
    )
    return dataclasses.replace(
        verdict, reasons=verdict.reasons + _document_reasons(status, verdict, document)
    )


def _document_reasons(status: PdfSignatureStatus, verdict: Verdict, document: str) -> tuple[Reason, ...]:
    reasons = []
    if status.intact and status.docmdp_ok is False:
        reasons.append(
            Reason(
                "modified",
                f"«{document}» پس از امضای {verdict.signer} به شکلی غیرمجاز ویرایش شده است "
                f"({document} was edited after {verdict.signer} signed it, beyond adding signatures)",
            )
        )
    stamp = status.timestamp_validity
    if stamp is not None and not stamp.trusted:
        reasons.append(
            Reason(
                "timestamp",
                f"مهر زمانی امضای {verdict.signer} معتبر نیست "
                f"(the timestamp on {verdict.signer}'s signature does not validate against the trust roots)",
            )
        )
    return tuple(reasons)


def _timestamp_time(signer_info: asn1_cms.SignerInfo) -> dt.datetime | None:
    unsigned = signer_info["unsigned_attrs"]
    if unsigned.native is None:
        return None
    for attribute in unsigned:
        if attribute["type"].native == "signature_time_stamp_token":
            token = attribute["values"][0]["content"]
            when: dt.datetime = token["encap_content_info"]["content"].parsed["gen_time"].native
            return when
    return None


def _signing_certificate(signer: signers.Signer, document: str) -> x509.Certificate:
    if signer.signing_cert is None:
        raise InvalidInput(
            f"امضاکنندهٔ «{document}» گواهی ندارد (the signer of {document} has no certificate)"
        )
    return certificate_of(signer.signing_cert)


def _require_signable(
    certificate: x509.Certificate,
    chain: list[x509.Certificate],
    trust: TrustStore,
    now: dt.datetime,
    document: str,
) -> None:
    if not trust.checks_revocation:
        raise InvalidInput(
            "برای امضای PAdES B-LT فهرست ابطال گواهی (CRL) لازم است (PAdES B-LT needs a CRL to embed)",
            hint="put the issuing CA's CRL (*.crl) in the trust directory",
        )
    problems = certificate_reasons(certificate, at=now, certificates=chain, trust=trust)
    if problems:
        raise _refusal(display_name(certificate), document, [p.message for p in problems])


def _run_signer(pdf_signer: signers.PdfSigner, pdf: bytes, *, certificate_name: str, document: str) -> bytes:
    out = io.BytesIO()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        asyncio.run(pdf_signer.async_sign_pdf(writer, output=out))
    except PdfReadError as error:
        raise InvalidInput(
            f"«{document}» یک PDF خوانا نیست ({document} is not a readable PDF: {error})"
        ) from error
    except TimestampRequestError as error:
        raise _no_timestamp(pdf_signer, document, error) from error
    except SigningError as error:
        cause = error.__cause__ or error
        if isinstance(cause, TimestampRequestError):
            raise _no_timestamp(pdf_signer, document, cause) from error
        raise _refusal(certificate_name, document, [f"{type(cause).__name__}: {cause}"]) from error
    return out.getvalue()


def _no_timestamp(pdf_signer: signers.PdfSigner, document: str, error: Exception) -> HandlerError:
    url = getattr(pdf_signer.default_timestamper, "url", "the timestamping authority")
    cause = error.__cause__
    why = f"{error}" + (f" ({type(cause).__name__}: {cause})" if cause is not None else "")
    return HandlerError(
        f"مهر زمانی از {url} گرفته نشد و «{document}» امضا نشد "
        f"(the timestamping authority at {url} did not answer: {why}; {document} was not signed)",
        error_code="timestamp_unavailable",
        hint="retry the step when the timestamping authority answers again",
    )


def _refusal(name: str, document: str, why: list[str]) -> ValidationError:
    return ValidationError(
        f"امضای «{document}» با گواهی {name} ممکن نیست: " + "؛ ".join(why),
        hint=f"{name} cannot sign {document} now; a valid, unrevoked certificate from a trusted CA is needed",
        details=why,
    )


def _reader(pdf: bytes, document: str) -> PdfFileReader:
    try:
        return PdfFileReader(io.BytesIO(pdf))
    except (PdfReadError, ValueError) as error:
        raise InvalidInput(
            f"«{document}» یک PDF خوانا نیست ({document} is not a readable PDF: {error})"
        ) from error
