"""The verification report of one instance: its hash chain, every signature, every checkpoint, every
document its history names.

Each problem is a :class:`Finding` naming the event (``seq``) or the document (``sha256:`` ref), its kind
(``chain``, ``signature``, ``checkpoint``, ``document``) and its cause (the chain's codes, or the reason
codes of ``signatures``). :class:`Report` keeps the fields of :class:`engine.history.Verdict` (``ok``,
``events``, ``first_broken_seq``, ``reason``) so older callers read it the same way.

Signatures are re-checked against the approval rebuilt from the history itself — the signer, the
task, the instance, the sha256 of the version in force when it was signed (an instance an administrator
migrated changes version at its ``migrated`` event) and the data the ``completed`` event recorded — so a
signature that does not cover what the history says was approved is caught, as is one moved from
another event.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import approvals, checkpoints, history
from engine.errors import NezaratError
from engine.evidence import Audits
from engine.store.models import HistoryEvent, Instance, ProcessVersion

KINDS = ("chain", "signature", "checkpoint", "document", "replay")


@dataclasses.dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    cause: str
    message: str
    seq: int | None = None
    document: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclasses.dataclass(frozen=True)
class Report:
    instance_id: str
    ok: bool
    events: int
    first_broken_seq: int | None = None
    reason: str | None = None
    findings: tuple[Finding, ...] = ()
    checked: tuple[str, ...] = ()  # what was checked: "chain" always, the rest when its audit was given

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"instance_id": self.instance_id, "ok": self.ok, "events": self.events}
        if self.first_broken_seq is not None:
            out["first_broken_seq"] = self.first_broken_seq
        if self.reason is not None:
            out["reason"] = self.reason
        out["findings"] = [f.to_dict() for f in self.findings]
        out["checked"] = list(self.checked)
        return out


def verify(tx: Session, instance_id: str, audits: Audits) -> Report:
    rows = history.events_of(tx, instance_id)
    found = [
        Finding("chain", p.cause, p.message, seq=p.seq)
        for p in history.problems(rows, history.head_of_chain(tx, instance_id))
    ]
    found += signature_findings(tx, instance_id, rows, audits)
    found += checkpoint_findings(instance_id, rows, audits)
    found += document_findings(rows, audits)
    # The replay (engine/replay.py) runs outside this transaction, on a scratch database: with_replay.
    checked = ("chain", "signature", "checkpoint", "document")
    given = (True, audits.approval is not None, audits.seal is not None, audits.document is not None)
    return report(instance_id, len(rows), found, tuple(c for c, g in zip(checked, given, strict=True) if g))


def report(instance_id: str, events: int, found: list[Finding], checked: tuple[str, ...]) -> Report:
    if not found:
        return Report(instance_id, True, events, checked=checked)
    # As Verdict had it: the first break of the chain itself; without one, the earliest other finding.
    first = min(found, key=lambda f: (f.kind != "chain", f.seq is None, f.seq or 0))
    return Report(instance_id, False, events, first.seq, first.message, tuple(found), checked)


def signature_findings(
    tx: Session, instance_id: str, rows: list[HistoryEvent], audits: Audits
) -> list[Finding]:
    """Each ``signed`` event's CMS over the approval its completion recorded, at the recorded time."""
    check = audits.approval
    signed = [r for r in rows if r.kind == "signed"]
    if check is None or not signed:
        return []
    in_force = versions_in_force(tx, instance_id, rows)
    found = []
    for row in signed:
        who = f"event #{row.seq} (signature of {row.actor} at {row.element_id})"
        try:
            approval = approval_of(row, rows, instance_id, in_force[row.seq])
            causes = check(approval, base64.b64decode(str(row.data["cms"]), validate=True), row.at)
        except (KeyError, ValueError, binascii.Error) as error:
            found.append(Finding("signature", "malformed", f"{who}: {error}", seq=row.seq))
            continue
        except NezaratError as error:  # e.g. a document it covers is damaged: the approval cannot be rebuilt
            found.append(Finding("signature", "unverifiable", f"{who}: {error.message}", seq=row.seq))
            continue
        found += [Finding("signature", c.code, f"{who}: {c.message}", seq=row.seq) for c in causes]
    return found


def approval_of(
    row: HistoryEvent, rows: list[HistoryEvent], instance_id: str, version_sha256: str
) -> approvals.Approval:
    """The approval a ``signed`` event claims to cover, rebuilt from the completion that follows it."""
    done = next(
        (r for r in rows if r.seq > row.seq and r.kind == "completed" and r.task_id == row.task_id), None
    )
    if done is None:
        raise ValueError(f"no completion of task {row.task_id} follows the signature")
    return approvals.Approval(
        str(row.actor),
        instance_id,
        str(row.task_id),
        str(row.element_id),
        version_sha256,
        done.data["submitted"],
    )


def version_of(tx: Session, instance_id: str) -> str:
    query = select(ProcessVersion.sha256).join(Instance, Instance.version_id == ProcessVersion.id)
    return str(tx.scalar(query.where(Instance.id == instance_id)) or "")


def versions_in_force(tx: Session, instance_id: str, rows: list[HistoryEvent]) -> dict[int, str]:
    """The sha256 of the version each event (by seq) happened under: the instance's own, or, once an
    administrator migrated it, the version it began on until each ``migrated`` event and its target after."""
    moves = [r for r in rows if r.kind == "migrated"]
    if not moves:
        return dict.fromkeys((r.seq for r in rows), version_of(tx, instance_id))
    key = select(Instance.process_key).where(Instance.id == instance_id).scalar_subquery()
    query = select(ProcessVersion.version, ProcessVersion.sha256).where(ProcessVersion.process_key == key)
    by_number = {int(number): str(sha256) for number, sha256 in tx.execute(query)}
    current = by_number.get(int((moves[0].data or {}).get("from_version") or 0), "")
    out = {}
    for row in rows:
        if row.kind == "migrated":
            current = by_number.get(int((row.data or {}).get("to_version") or 0), "")
        out[row.seq] = current
    return out


def checkpoint_findings(instance_id: str, rows: list[HistoryEvent], audits: Audits) -> list[Finding]:
    """Each checkpoint seals the chain as it stands, by the server's seal; and every step that had to end
    with a checkpoint does: all of them when the instance was begun under a seal (its ``started`` event
    says so), else those after its first checkpoint (an instance begun before the server had a seal)."""
    if audits.seal is None:
        return []
    marks = [r for r in rows if r.kind == checkpoints.KIND]
    by_seq = {r.seq: r for r in rows}
    found = []
    for row in marks:
        found += _checkpoint_problems(instance_id, row, by_seq, audits)
    if checkpoints.sealed_from_start(rows):
        since = 0
    elif marks:
        since = marks[0].seq
    else:
        return found
    last = marks[-1].seq if marks else 0
    for row in rows:
        if row.kind in checkpoints.SEALED_AFTER and since < row.seq and last < row.seq:
            message = f"event #{row.seq} ({row.kind}) has no checkpoint after it: the checkpoint was removed"
            found.append(Finding("checkpoint", "missing", message, seq=row.seq))
    return found


def _checkpoint_problems(
    instance_id: str, row: HistoryEvent, by_seq: dict[int, HistoryEvent], audits: Audits
) -> list[Finding]:
    name = f"checkpoint #{row.seq}"
    try:
        seq, sealed_hash, text, signature = checkpoints.sealed_of(instance_id, row.data)
    except (KeyError, ValueError, TypeError, binascii.Error) as error:
        return [Finding("checkpoint", "malformed", f"{name}: {error}", seq=row.seq)]
    found = []
    target = by_seq.get(seq)
    if target is None or target.hash != sealed_hash:
        now = target.hash[:12] if target is not None else "nothing"
        message = (
            f"{name} sealed event #{seq} with hash {sealed_hash[:12]}…, but the history now has {now}: "
            f"the events up to #{seq} were changed and re-hashed"
        )
        found.append(Finding("checkpoint", "chain_changed", message, seq=row.seq))
    assert audits.seal is not None
    causes = audits.seal(text, signature, row.at)
    return found + [Finding("checkpoint", c.code, f"{name}: {c.message}", seq=row.seq) for c in causes]


def document_findings(rows: list[HistoryEvent], audits: Audits) -> list[Finding]:
    """Every document the history names still has the sha256 it was recorded with."""
    if audits.document is None:
        return []
    first_seen: dict[str, int] = {}
    for row in rows:
        for digest in approvals.attachment_digests(row.data):
            first_seen.setdefault(digest, row.seq)
    found = []
    for digest, seq in first_seen.items():
        ref = f"sha256:{digest}"
        cause = audits.document(ref)
        if cause is not None:
            message = f"document {ref} (named by event #{seq}): {cause.message}"
            found.append(Finding("document", cause.code, message, seq=seq, document=ref))
    return found


def lines(reports: Iterable[Report]) -> list[str]:
    """The report as text: one line per instance, then one indented line per finding."""
    out = []
    for r in reports:
        if r.ok:
            out.append(
                f"instance {r.instance_id}: history intact ({r.events} events; checked {', '.join(r.checked)})"
            )
            continue
        out.append(f"instance {r.instance_id}: history broken at event {r.first_broken_seq}: {r.reason}")
        out += [f"  {f.kind} {f.cause} at {_where(f)}: {f.message}" for f in r.findings]
    return out


def _where(f: Finding) -> str:
    return f.document if f.document else f"event #{f.seq}"


def with_replay(found: Report, replayed: Any) -> Report:
    """``found`` with the replay's verdict (an ``engine.replay.ReplayReport``): its first divergence, if
    any, as a finding of kind ``replay`` at the recorded event where the re-run went another way."""
    checked = (*found.checked, "replay")
    findings = list(found.findings)
    divergence = replayed.divergence
    if divergence is not None:
        what = " at ".join(str(p) for p in (divergence.kind, divergence.element_id) if p)
        where = f"event #{divergence.seq} ({what})" if divergence.seq is not None else "the end"
        message = f"re-running the process went another way at {where}: {divergence.reason}"
        findings.append(Finding("replay", "diverged", message, seq=divergence.seq))
    return report(found.instance_id, found.events, findings, checked)
