"""Signature steps: the engine's :class:`engine.approvals.Approval` made into the signed document of
``signatures.canonical``, signed with a user's PKCS#12 key on the server, and verified on completion.

Verification of a recorded history gets the same checks without raising (:func:`approval_audit`,
:func:`seal_audit`): each reason becomes an ``engine.evidence.Cause``, judged at the recorded time.

The engine only knows attachment digests; the document names each file too, read from the attachment
store — whose ``get`` refuses a file whose bytes no longer match its digest, so a changed attachment
fails the check before any signature maths.

``signatures`` is imported inside the functions: pyHanko takes about a second to import, and most
commands never sign.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import hashlib
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import forms
from engine.approvals import Approval, SignatureCheck, Signed
from engine.clock import Clock
from engine.evidence import ApprovalAudit, Cause, SealAudit
from engine.settings import Settings


def signed_document(approval: Approval, store: forms.AttachmentStore) -> Any:
    """The ``signatures.canonical.Approval`` whose canonical bytes a signature step signs."""
    from signatures import canonical

    files = []
    for digest in approval.attachments:
        ref = f"sha256:{digest}"
        files.append(canonical.digest_attachment(store.info(ref).filename, store.get(ref)))
    return canonical.Approval(
        actor=approval.actor,
        instance_id=approval.instance_id,
        task_id=approval.task_id,
        definition_sha256=approval.version_sha256,
        decision=dict(approval.data),
        attachments=tuple(files),
    )


def sign_with_pkcs12(
    approval: Approval, store: forms.AttachmentStore, key_file: Path, password: str, clock: Clock
) -> bytes:
    """Sign ``approval`` on the server with the user's PKCS#12 key (unlocked by ``password``)."""
    from signatures import cms, keystore

    signer = keystore.software_signer(keystore.load_pkcs12(key_file, password))
    return cms.sign_approval(signed_document(approval, store), signer, clock=clock)


def demo_keys(people: Iterable[Any], out_dir: Path, clock: Clock) -> str:
    """Issue the demo CA and one PKCS#12 key per person (``engine.directory.Person``) under ``out_dir``
    (kept across runs); returns the demo password the keys are locked with."""
    from signatures import demo

    demo.issue_demo_credentials(people, out_dir, clock)
    return demo.DEMO_PASSWORD


def signature_check(settings: Settings, store: forms.AttachmentStore, clock: Clock) -> SignatureCheck:
    """Verify signature steps against the roots and CRLs of ``settings.trust_dir``, read at each check
    so a new CRL applies at once."""

    def check(approval: Approval, signature: bytes) -> Signed:
        from signatures import canonical, cms, trust

        document = signed_document(approval, store)
        roots = trust.load_trust(settings.trust_dir)
        verdict = cms.verify_approval(document, signature, trust=roots, clock=clock).require()
        return Signed(
            signer=verdict.signer,
            certificate_serial=verdict.certificate_serial,
            signed_at=verdict.signing_time.isoformat() if verdict.signing_time else None,
            content_sha256=hashlib.sha256(canonical.canonical_bytes(document)).hexdigest(),
            signature=signature,
        )

    return check


def seal(settings: Settings, clock: Clock) -> Callable[[bytes], bytes] | None:
    """The server's seal as a signer of detached CMS over bytes (history checkpoints, audit packages), or
    None when ``settings.seal_file`` does not exist (a server without one records no checkpoints)."""
    if not settings.seal_file.exists():
        return None

    def sign(data: bytes) -> bytes:
        from signatures import cms, keystore

        signer = keystore.software_signer(seal_credential(settings))
        return cms.sign_detached(data, signer, clock=clock)

    return sign


def seal_credential(settings: Settings) -> Any:
    """The seal's key and certificate (``signatures.ca.Credential``), read once per version of the file:
    a checkpoint is on the path of every signature step and completion, and unlocking a PKCS#12 is slow."""
    return _credential(settings.seal_file, settings.seal_password, settings.seal_file.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _credential(path: Path, password: str, _version: int) -> Any:
    from signatures import keystore

    return keystore.load_pkcs12(path, password)


def approval_audit(settings: Settings, store: forms.AttachmentStore, clock: Clock) -> ApprovalAudit:
    """Re-check a recorded signature step at the time it was recorded: every reason, nothing raised
    (a damaged attachment or a broken CMS still raises its NezaratError: the verifier reports it)."""

    def audit(approval: Approval, signature: bytes, recorded_at: dt.datetime) -> list[Cause]:
        from signatures import cms, trust

        document = signed_document(approval, store)
        roots = trust.load_trust(settings.trust_dir)
        verdict = cms.verify_approval(document, signature, trust=roots, clock=clock, signed_at=recorded_at)
        return [Cause(r.code, r.message) for r in verdict.reasons]

    return audit


def seal_audit(settings: Settings, clock: Clock) -> SealAudit:
    """Check a history checkpoint's CMS: over exactly those bytes, by the server's seal identity (the
    subject UID of ``settings.seal_file``'s certificate, or the demo seal's), trusted at the recorded time."""
    identity: list[str] = []

    def audit(data: bytes, signature: bytes, recorded_at: dt.datetime) -> list[Cause]:
        from signatures import cms, trust

        if not identity:
            identity.append(seal_user(settings))
        roots = trust.load_trust(settings.trust_dir)
        verdict = cms.verify_detached(
            data,
            signature,
            trust=roots,
            clock=clock,
            document="history checkpoint",
            expected_user=identity[0],
            signed_at=recorded_at,
        )
        return [Cause(r.code, r.message) for r in verdict.reasons]

    return audit


def seal_user(settings: Settings) -> str:
    """Whose certificate a checkpoint must carry: the configured seal's subject UID, else the demo seal's."""
    from signatures import ca, demo

    if settings.seal_file.exists():
        found = ca.user_of(seal_credential(settings).certificate)
        if found:
            return found
    return demo.SEAL_USER


@dataclasses.dataclass(frozen=True)
class ToSign:
    """What a clerk's token signs for one completion (the "prepare" answer): the canonical bytes of the
    approval, their sha256, and a short summary of them for people."""

    content: bytes
    sha256: str
    summary: str
    task_id: str
    instance_id: str

    def to_dict(self) -> dict[str, str]:
        return {
            "data": base64.b64encode(self.content).decode("ascii"),
            "sha256": self.sha256,
            "summary": self.summary,
            "task_id": self.task_id,
            "instance_id": self.instance_id,
        }


def to_sign(approval: Approval, store: forms.AttachmentStore) -> ToSign:
    """The bytes completion will verify a signature of ``approval`` against (``signature_check``)."""
    from signatures import canonical

    document = signed_document(approval, store)
    content = canonical.canonical_bytes(document)
    decision = "، ".join(f"{key}: {value}" for key, value in sorted(document.decision.items()))
    files = "، ".join(a.name for a in document.attachments)
    summary = (
        f"{approval.actor} مرحلهٔ {approval.element_id} پروندهٔ {approval.instance_id} را با این تصمیم "
        f"امضا می‌کند: {decision or '—'}" + (f"؛ پیوست‌ها: {files}" if files else "")
    )
    return ToSign(
        content, hashlib.sha256(content).hexdigest(), summary, approval.task_id, approval.instance_id
    )


def sign_with_pkcs12_file(
    approval: Approval, store: forms.AttachmentStore, key: bytes, password: str, clock: Clock
) -> bytes:
    """:func:`sign_with_pkcs12` with the .p12 as uploaded bytes (the web's "sign on the server"): they go
    to a private temporary file for the one signature and are gone after it."""
    with tempfile.TemporaryDirectory(prefix="nezarat-key-") as folder:
        path = Path(folder) / "key.p12"
        path.write_bytes(key)
        return sign_with_pkcs12(approval, store, path, password, clock)


SEAL_FIELD = "NezaratSeal"
SEAL_BOX = (51.0, 48.0, 281.0, 138.0)  # bottom left of the last page, clear of the footer and the margins


def user_key_file(settings: Settings, user: str) -> Path | None:
    """The PKCS#12 the server keeps for ``user`` (``DATA_DIR/pki/users/<user>.p12``, as ``init-db --demo``
    issues them), or None."""
    path = settings.data_dir / "pki" / "users" / f"{user}.p12"
    return path if path.is_file() and path.parent == settings.data_dir / "pki" / "users" else None


def tsa_file(settings: Settings) -> Path:
    """The local timestamping authority's PKCS#12 (the demo's, from ``init-db --demo``)."""
    return settings.data_dir / "pki" / "ca" / "tsa.p12"


def timestamper(settings: Settings, clock: Clock) -> Any:
    """Where sealed PDFs get their timestamp: the TSA at ``NEZARAT_TSA_URL`` when it is set, else the
    local timestamping key (:func:`tsa_file`)."""
    from signatures import pdf as pades

    if settings.tsa_url:
        return pades.http_timestamper(settings.tsa_url)
    tsa = _credential(tsa_file(settings), settings.seal_password, tsa_file(settings).stat().st_mtime_ns)
    return pades.local_timestamper(tsa, clock)


def pdf_seal(settings: Settings, clock: Clock) -> Callable[[bytes, str], bytes] | None:
    """The server's seal as a PAdES B-LT signer of generated PDFs (``pdf, document name → signed pdf``),
    with the visible Persian stamp; None when the server has no seal file, or neither a TSA URL nor a
    local timestamping key. An unreachable TSA raises :class:`engine.errors.HandlerError`."""
    if not (settings.seal_file.exists() and (settings.tsa_url or tsa_file(settings).exists())):
        return None

    def sign(pdf: bytes, document: str) -> bytes:
        from handlers.documents import fonts
        from handlers.documents.persian_text import shape
        from signatures import keystore, trust
        from signatures import pdf as pades
        from signatures.stamp import StampFace

        fonts.register_fonts()
        return pades.sign_pdf(
            pdf,
            keystore.software_signer(seal_credential(settings)),
            trust=trust.load_trust(settings.trust_dir),
            timestamper=timestamper(settings, clock),
            clock=clock,
            face=StampFace(shape=shape),
            placement=pades.Placement(SEAL_FIELD, page=-1, box=SEAL_BOX),
            role="مهر سامانه",
            reason=document,
            document=document,
        )

    return sign
