"""Deployed versions as the runtime needs them: restored specs and the task catalog, cached per version.

Version rows never change, so the cache never goes stale; it only saves re-building specs from JSON.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from engine.errors import NotFound, suggest
from engine.spiff.serializer import codec
from engine.store.fast import Prepared
from engine.store.models import ProcessVersion


@dataclasses.dataclass(frozen=True)
class LoadedVersion:
    id: int
    process_key: str
    version: int
    flavour: str
    spec: Any
    subprocess_specs: dict[str, Any]
    catalog: dict[str, dict[str, Any]]
    forms: dict[str, Any] = dataclasses.field(default_factory=dict)
    # Elements whose tasks carry an SLA: only their completion needs the SLA timers cleared.
    sla_elements: frozenset[str] = frozenset()
    sha256: str = ""  # of the deployed bundle: what a signature at a signature step names


class VersionCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[int, LoadedVersion] = {}

    def get(self, tx: Session, version_id: int) -> LoadedVersion:
        found = self._by_id.get(version_id)
        if found is None:
            row = tx.get(ProcessVersion, version_id)
            if row is None:
                raise NotFound(f"process version {version_id} does not exist")
            found = _load(row)
            with self._lock:
                self._by_id[version_id] = found
        return found


_LATEST = Prepared(
    select(ProcessVersion.id)
    .where(ProcessVersion.process_key == bindparam("process_key"))
    .order_by(ProcessVersion.version.desc())
    .limit(1)
)


def latest(tx: Session, process_key: str) -> int:
    """The id of the newest version of ``process_key``."""
    row = _LATEST.scalar(tx, {"process_key": process_key})
    if row is None:
        known = list(tx.scalars(select(ProcessVersion.process_key).distinct()))
        raise NotFound(f"no process '{process_key}' is deployed", hint=suggest(process_key, known))
    return row


def numbered(tx: Session, process_key: str, version: int) -> int:
    """The id of version ``version`` of ``process_key``."""
    query = select(ProcessVersion.id).where(
        ProcessVersion.process_key == process_key, ProcessVersion.version == version
    )
    found = tx.scalar(query)
    if found is None:
        deployed = sorted(
            tx.scalars(select(ProcessVersion.version).where(ProcessVersion.process_key == process_key))
        )
        raise NotFound(
            f"process '{process_key}' has no version {version}",
            hint=f"its deployed versions: {', '.join(map(str, deployed)) or 'none'}",
        )
    return int(found)


def _load(row: ProcessVersion) -> LoadedVersion:
    spec, subs = codec(row.flavour).load_specs(row.specs)
    catalog = dict(row.catalog or {})
    with_sla = frozenset(e for e, f in catalog.items() if (f.get("properties") or {}).get("sla"))
    return LoadedVersion(
        row.id,
        row.process_key,
        row.version,
        row.flavour,
        spec,
        subs,
        catalog,
        dict(row.forms or {}),
        with_sla,
        row.sha256,
    )
