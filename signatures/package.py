"""The cryptography of audit packages (engine.audit_package): what goes in certificates/, and the checks
of the manifest's seal and of each ``signed`` event, offline.

The trust roots are the package's own ``certificates/roots/`` unless the auditor gives a trust
directory; only the latter proves the package came from a server the auditor trusts, since whoever
can write a package can also write roots into it (the report says which roots were used).
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from engine import approvals
from engine.audit_package import EventCheck, ManifestCheck, Opened, PackageReport, check
from engine.clock import Clock
from engine.errors import NezaratError
from signatures import canonical, cms, trust

ROOTS = "certificates/roots/"
SIGNERS = "certificates/signers/"
TRUST_SUFFIXES = (*trust.CERTIFICATE_SUFFIXES, trust.CRL_SUFFIX)


def certificates(signed_cms: Iterable[bytes], trust_dir: Path) -> dict[str, bytes]:
    """Package paths -> bytes: every certificate the signatures carry, and the trust directory's roots
    and CRLs (so revocation is checked offline as the server checked it)."""
    out: dict[str, bytes] = {}
    for signature in signed_cms:
        for cert in cms.certificates_in(signature):
            out[f"{SIGNERS}{cert.serial_number:x}.pem"] = cert.public_bytes(serialization.Encoding.PEM)
    if trust_dir.is_dir():
        for path in sorted(trust_dir.iterdir()):
            if path.suffix.lower() in TRUST_SUFFIXES:
                out[f"{ROOTS}{path.name}"] = path.read_bytes()
    return out


def signed_cms_of(events: Iterable[Mapping[str, Any]]) -> list[bytes]:
    """The CMS of every ``signed`` event of a history (as ``Platform.history`` returns it)."""
    return [
        base64.b64decode(e["data"]["cms"]) for e in events if e["kind"] == "signed" and e["data"].get("cms")
    ]


def verify_package(package: bytes, *, trust_store: trust.TrustStore | None, clock: Clock) -> PackageReport:
    """Every problem of ``package``; ``trust_store`` None: the package's own roots."""
    return check(
        package,
        manifest_check=_manifest_check(trust_store, clock),
        event_checks=event_checks(trust_store, clock),
    )


def event_checks(trust_store: trust.TrustStore | None, clock: Clock) -> dict[str, EventCheck]:
    """The per-kind checks of a package's events (a ``checkpoint`` kind joins here)."""
    return {"signed": _signed_check(trust_store, clock)}


def _manifest_check(trust_store: trust.TrustStore | None, clock: Clock) -> ManifestCheck:
    def check_seal(manifest: bytes, seal: bytes, opened: Opened) -> list[str]:
        return _verified(manifest, seal, trust_store or _package_roots(opened), clock, "manifest.json")

    return check_seal


def _signed_check(trust_store: trust.TrustStore | None, clock: Clock) -> EventCheck:
    def check_signed(event: dict[str, Any], opened: Opened) -> list[str]:
        path = f"signatures/{event.get('seq')}.p7s"
        signature = opened.files.get(path)
        if signature is None:
            return [f"its signature file {path} is missing"]
        data = event.get("data") or {}
        if data.get("cms") and base64.b64decode(data["cms"]) != signature:
            return [f"{path} is not the signature the history recorded"]
        document, problems = _approval(event, opened)
        if document is None:
            return problems
        content = canonical.canonical_bytes(document)
        if hashlib.sha256(content).hexdigest() != data.get("content_sha256"):
            return ["the decision the history records is not the content that was signed"]
        roots = trust_store or _package_roots(opened)
        return _verified(
            content, signature, roots, clock, f"approval of event #{event.get('seq')}", event.get("actor")
        )

    return check_signed


def _approval(event: dict[str, Any], opened: Opened) -> tuple[canonical.Approval | None, list[str]]:
    """The signed document of a ``signed`` event, rebuilt from the history and the package's documents."""
    done = [
        e for e in opened.events if e.get("kind") == "completed" and e.get("task_id") == event.get("task_id")
    ]
    if not done:
        return None, ["the history has no completion of the signed task"]
    decision = dict((done[0].get("data") or {}).get("submitted") or {})
    files = []
    for digest in approvals.attachment_digests(decision):
        found = opened.document(digest)
        if found is None:
            return None, [f"the signed decision names document sha256:{digest}, which the package lacks"]
        files.append(canonical.digest_attachment(found[1], found[0]))
    document = canonical.Approval(
        actor=str(event.get("actor") or ""),
        instance_id=str(opened.manifest.get("instance_id")),
        task_id=str(event.get("task_id")),
        definition_sha256=_signed_under(event, opened),
        decision=decision,
        attachments=tuple(files),
    )
    return document, []


def _signed_under(event: dict[str, Any], opened: Opened) -> str:
    """The sha256 of the version the event was signed under: the instance's, unless it was migrated since."""
    earlier = opened.manifest.get("signed_under") or {}
    return str(earlier.get(str(event.get("seq"))) or opened.manifest.get("version_sha256"))


def _verified(
    content: bytes, signature: bytes, roots: trust.TrustStore | str, clock: Clock, document: str,
    user: str | None = None,
) -> list[str]:  # fmt: skip
    if isinstance(roots, str):
        return [roots]
    try:
        verdict = cms.verify_detached(
            content, signature, trust=roots, clock=clock, document=document, expected_user=user
        )
    except NezaratError as err:
        return [err.message]
    return [f"{r.code}: {r.message}" for r in verdict.reasons]


def _package_roots(opened: Opened) -> trust.TrustStore | str:
    """The package's own trust roots, or why there are none."""
    files = {p[len(ROOTS) :]: data for p, data in opened.files.items() if p.startswith(ROOTS)}
    with tempfile.TemporaryDirectory(prefix="nezarat-roots-") as folder:
        for name, data in files.items():
            (Path(folder) / Path(name).name).write_bytes(data)
        try:
            return trust.load_trust(Path(folder))
        except NezaratError as err:
            return f"no usable trust root in the package ({err.message}); give one with --trust"
