"""The audit package of one instance: a zip an auditor verifies offline, on a machine with no database.

Layout (format ``nezarat-audit/1``)::

    manifest.json              instance, version sha256, export time and user, and every file below
                               with its sha256 and size; for an instance an administrator migrated,
                               ``signed_under``: each signed event's version sha256 (seq -> sha256)
    manifest.p7s               detached CMS over manifest.json's exact bytes, by the server's seal
    definition/process.bpmn    the pinned version's BPMN, as deployed
    definition/forms/<f>.json  its forms
    definition/earlier/<sha256>/process.bpmn, forms/<f>.json
                               for a migrated instance, each version it ran on before, by its sha256
    history.json               every event with its prev_hash and hash
    signatures/<seq>.p7s       the CMS of each ``signed`` event, as the signer gave it
    documents/<hex>            each attachment the history names (its name and type in the manifest)
    certificates/signers/*.pem the certificates the signatures carry
    certificates/roots/*.pem   the trust roots the server used

This module builds the package from the database with what the layers above inject (attachment reader,
seal, certificates) and checks one without any: the files against the manifest and the history's hash
chain recomputed with :func:`engine.history.chain_hash`. What needs cryptography — the manifest's
signature and each signed event — is checked by callables the caller passes: the manifest check, and
:data:`EventCheck` functions per event kind (``signatures/package.py`` gives ``signed``; a ``checkpoint``
kind is one more entry in that table).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select

from engine import approvals, history, verification
from engine.clock import Clock
from engine.errors import InvalidInput, NotFound
from engine.store.models import Instance, ProcessVersion
from engine.store.session import Store

FORMAT = "nezarat-audit/1"
MANIFEST, SEAL = "manifest.json", "manifest.p7s"

# ref -> (bytes, file name, content type) of a stored attachment
ReadAttachment = Callable[[str], tuple[bytes, str, str]]
# Checks one event of a kind against the package; returns problems, each in words an auditor acts on.
EventCheck = Callable[[dict[str, Any], "Opened"], list[str]]
# Checks manifest.p7s over manifest.json's bytes; returns problems.
ManifestCheck = Callable[[bytes, bytes, "Opened"], list[str]]


@dataclasses.dataclass(frozen=True)
class Problem:
    where: str  # a file of the package, or "event #<seq>"
    problem: str

    def to_dict(self) -> dict[str, str]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class PackageReport:
    instance_id: str | None
    ok: bool
    files: int
    events: int
    problems: tuple[Problem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["problems"] = [p.to_dict() for p in self.problems]
        return out


@dataclasses.dataclass(frozen=True)
class Opened:
    """A package read back: its manifest, files and events (what event checks look at)."""

    manifest: dict[str, Any]
    files: dict[str, bytes]
    events: list[dict[str, Any]]

    def entry(self, path: str) -> dict[str, Any] | None:
        return next((f for f in self.manifest.get("files", []) if f.get("path") == path), None)

    def document(self, digest: str) -> tuple[bytes, str] | None:
        """The bytes and recorded name of the attachment with sha256 ``digest``."""
        path = f"documents/{digest}"
        entry = self.entry(path)
        if path not in self.files or entry is None:
            return None
        return self.files[path], str(entry.get("name") or digest)


# -- export -------------------------------------------------------------------------------------------


def export(
    store: Store,
    instance_id: str,
    *,
    read_attachment: ReadAttachment,
    seal: Callable[[bytes], bytes],
    certificates: Mapping[str, bytes],
    exported_by: str | None,
    clock: Clock,
) -> bytes:
    """The zip of ``instance_id``'s package; ``certificates`` maps package paths to PEM bytes."""
    with store.reading() as tx:
        row = tx.get(Instance, instance_id)
        if row is None:
            raise NotFound(f"instance {instance_id} does not exist")
        version = tx.get(ProcessVersion, row.version_id)
        rows = history.events_of(tx, instance_id)
        in_force = verification.versions_in_force(tx, instance_id, rows)
        events = [history.as_dict(e) for e in rows]
        assert version is not None  # a foreign key holds it
        before = sorted(set(in_force.values()) - {version.sha256, ""})
        earlier_versions = list(tx.scalars(select(ProcessVersion).where(ProcessVersion.sha256.in_(before))))
    files = _definition("definition", version)
    for old in earlier_versions:  # what the steps before a migration ran, for the auditor to read
        files.update(_definition(f"definition/earlier/{old.sha256}", old))
    files["history.json"] = _json(events)
    extra: dict[str, dict[str, Any]] = {}
    for event in events:
        if event["kind"] == "signed" and event["data"].get("cms"):
            files[f"signatures/{event['seq']}.p7s"] = _b64(event["data"]["cms"])
    for digest in approvals.attachment_digests([e["data"] for e in events]):
        data, name, content_type = read_attachment(f"sha256:{digest}")
        files[f"documents/{digest}"] = data
        extra[f"documents/{digest}"] = {"name": name, "content_type": content_type}
    files.update(certificates)
    # A signature given before an administrator migrated the instance names the version of its day.
    earlier = {str(e["seq"]): in_force[e["seq"]] for e in events if e["kind"] == "signed"}
    extra_keys = {"signed_under": earlier} if set(earlier.values()) - {version.sha256} else {}
    manifest = _manifest(row, version, events, files, extra, exported_by, clock.now(), extra_keys)
    return _zip({MANIFEST: manifest, SEAL: seal(manifest), **files})


def _definition(folder: str, version: ProcessVersion) -> dict[str, bytes]:
    """A version's BPMN and forms under ``folder``."""
    files = {f"{folder}/process.bpmn": version.bpmn_xml.encode("utf-8")}
    for name, form in sorted((version.forms or {}).items()):
        files[f"{folder}/forms/{_file_name(name)}"] = _json(form)
    return files


def _manifest(
    row: Instance,
    version: ProcessVersion,
    events: list[dict[str, Any]],
    files: dict[str, bytes],
    extra: dict[str, dict[str, Any]],
    exported_by: str | None,
    now: dt.datetime,
    more: dict[str, Any],
) -> bytes:
    listed = [
        {"path": path, "sha256": _sha256(data), "size": len(data), **extra.get(path, {})}
        for path, data in sorted(files.items())
    ]
    return _json(
        {
            "format": FORMAT,
            "instance_id": row.id,
            "process_key": row.process_key,
            "version": version.version,
            "version_sha256": version.sha256,
            "status": row.status,
            "events": len(events),
            "last_hash": events[-1]["hash"] if events else history.GENESIS,
            "exported_at": now.isoformat(),
            "exported_by": exported_by,
            "files": listed,
            **more,
        }
    )


# -- verification --------------------------------------------------------------------------------------


def check(
    package: bytes, *, manifest_check: ManifestCheck, event_checks: Mapping[str, EventCheck]
) -> PackageReport:
    """Every problem of ``package``: seal, files against the manifest, the chain, each checked event."""
    opened, problems = read(package)
    if opened is None:
        return PackageReport(None, False, 0, 0, tuple(problems))
    raw_manifest = opened.files.pop(MANIFEST)
    seal = opened.files.pop(SEAL, None)
    if seal is None:
        problems.append(Problem(SEAL, "the manifest's signature is missing"))
    else:
        problems += [Problem(MANIFEST, p) for p in manifest_check(raw_manifest, seal, opened)]
    problems += _file_problems(opened)
    problems += _chain_problems(opened)
    for event in opened.events:
        event_check = event_checks.get(str(event.get("kind")))
        if event_check is not None:
            problems += [Problem(f"event #{event.get('seq')}", p) for p in event_check(event, opened)]
    return PackageReport(
        opened.manifest.get("instance_id"),
        not problems,
        len(opened.files),
        len(opened.events),
        tuple(problems),
    )


def read(package: bytes) -> tuple[Opened | None, list[Problem]]:
    """The package's parts, or None and why it cannot be read at all."""
    try:
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            files = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, OSError) as err:
        return None, [Problem("(package)", f"not a readable zip file: {err}")]
    if MANIFEST not in files:
        return None, [Problem(MANIFEST, "the package has no manifest")]
    try:
        manifest = json.loads(files[MANIFEST])
        events = json.loads(files["history.json"]) if "history.json" in files else []
    except ValueError as err:
        return None, [Problem(MANIFEST, f"not valid JSON: {err}")]
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None, [Problem(MANIFEST, f"not a {FORMAT} manifest")]
    return Opened(manifest, files, events if isinstance(events, list) else []), []


def _file_problems(opened: Opened) -> list[Problem]:
    problems = []
    listed = {str(f.get("path")): f for f in opened.manifest.get("files", [])}
    for path, entry in sorted(listed.items()):
        if path not in opened.files:
            problems.append(Problem(path, "listed in the manifest but missing from the package"))
        elif _sha256(opened.files[path]) != entry.get("sha256"):
            problems.append(Problem(path, "its sha256 differs from the manifest's: the file was changed"))
    for path in sorted(set(opened.files) - set(listed)):
        problems.append(Problem(path, "in the package but not listed in the manifest"))
    return problems


def _chain_problems(opened: Opened) -> list[Problem]:
    """The history's hash chain recomputed; the first broken event, and a last hash that is not the
    manifest's (events cut off the end)."""
    prev = history.GENESIS
    for expected_seq, event in enumerate(opened.events, start=1):
        why = _link_problem(event, expected_seq, prev)
        if why is not None:
            return [Problem(f"event #{event.get('seq')}", why)]
        prev = str(event["hash"])
    if opened.manifest.get("last_hash") != prev or opened.manifest.get("events") != len(opened.events):
        return [Problem("history.json", "its last event is not the one the manifest names (events cut off)")]
    return []


def _link_problem(event: dict[str, Any], expected_seq: int, prev: str) -> str | None:
    if event.get("seq") != expected_seq:
        return f"stands where #{expected_seq} should (an event was deleted or reordered)"
    if event.get("prev_hash") != prev:
        return "does not follow the event before it (deleted, reordered or replaced)"
    try:
        at = dt.datetime.fromisoformat(str(event["at"]))
        digest = history.chain_hash(prev, expected_seq, at, event["actor"], event["kind"],
                                    event["element_id"], event["task_id"], event["data"])  # fmt: skip
    except (KeyError, ValueError, TypeError) as err:
        return f"cannot be read: {err}"
    return None if digest == event.get("hash") else f"({event.get('kind')}) was changed after it was written"


# -- bytes ----------------------------------------------------------------------------------------------


def _zip(files: Mapping[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            # A fixed date: the same package is the same bytes, whoever zips it when.
            archive.writestr(
                zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _b64(text: str) -> bytes:
    return base64.b64decode(text)


def _file_name(name: str) -> str:
    if "/" in name or "\\" in name or name.startswith("."):
        raise InvalidInput(f"form name {name!r} cannot be a file name in the package")
    return name if name.endswith(".json") else f"{name}.json"
