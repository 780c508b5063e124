"""The contract between the history's verifier and the layers that can judge evidence the engine cannot.

The engine never parses a certificate or reads the attachment store. To verify an instance it is given
(``handlers/wiring.py`` composes them) three checks, each returning the :class:`Cause` of every problem
it finds — an empty list or None when the evidence holds:

* :data:`ApprovalAudit` — a ``signed`` event's CMS against the approval the engine rebuilt from the
  history, judged at the time the event was recorded (``signatures`` reason codes: ``altered``,
  ``expired``, ``untrusted``, ``revoked``, ``wrong_signer`` …);
* :data:`SealAudit` — a checkpoint's CMS against the bytes the engine rebuilt, by the server's seal;
* :data:`DocumentAudit` — a document ref (``sha256:<hex>``) still has bytes with that digest;

and, to re-run the instance (``engine.replay``), :data:`ReplayServices`: the handlers' services for a
replay, whose side effects stay in a scratch folder (mail in an outbox).

Dependency-free on purpose: ``handlers`` may import it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from engine.approvals import Approval
from engine.clock import Clock


@dataclasses.dataclass(frozen=True)
class Cause:
    code: str  # a stable English code
    message: str  # a sentence naming the document and the signer, Persian first where a clerk reads it


ApprovalAudit = Callable[[Approval, bytes, dt.datetime], list[Cause]]
SealAudit = Callable[[bytes, bytes, dt.datetime], list[Cause]]
DocumentAudit = Callable[[str], Cause | None]
ReplayServices = Callable[[Path, Clock], Mapping[str, Any]]


@dataclasses.dataclass(frozen=True)
class Audits:
    """What the verifier can check beyond the chain; a missing audit is left out of the report's ``checked``."""

    approval: ApprovalAudit | None = None
    seal: SealAudit | None = None
    document: DocumentAudit | None = None
    replay: ReplayServices | None = None
