"""The deployed versions as the process owner sees them: every version of every process, with the
instances still running on each, and one version's files (diagram, own forms, decision tables)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import func, select

from engine.errors import NotFound
from engine.store.models import Instance, ProcessVersion
from engine.store.session import Store
from webui.models.drafts import own_forms


@dataclasses.dataclass(frozen=True)
class VersionSummary:
    version: int
    sha256: str
    deployed_at: dt.datetime
    deployed_by: str | None
    running: int


@dataclasses.dataclass(frozen=True)
class ProcessModel:
    """One process key with its versions, newest first."""

    process_key: str
    name: str | None
    versions: list[VersionSummary]

    @property
    def running(self) -> int:
        return sum(v.running for v in self.versions)


@dataclasses.dataclass(frozen=True)
class StoredVersion:
    process_key: str
    version: int
    name: str | None
    bpmn: str
    forms: dict[str, Any]
    dmn: list[str]


_COLUMNS = (
    ProcessVersion.id, ProcessVersion.process_key, ProcessVersion.name, ProcessVersion.version,
    ProcessVersion.sha256, ProcessVersion.deployed_at, ProcessVersion.deployed_by,
)  # fmt: skip


def models(store: Store) -> list[ProcessModel]:
    """Every deployed process, by key; its name is the newest version's."""
    running = (
        select(Instance.version_id, func.count())
        .where(Instance.status == "running")
        .group_by(Instance.version_id)
    )
    query = select(*_COLUMNS).order_by(ProcessVersion.process_key, ProcessVersion.version.desc())
    with store.reading() as tx:
        counts = {version_id: n for version_id, n in tx.execute(running)}
        rows = tx.execute(query).all()
    found: dict[str, ProcessModel] = {}
    for row in rows:
        model = found.setdefault(row.process_key, ProcessModel(row.process_key, row.name, []))
        model.versions.append(
            VersionSummary(row.version, row.sha256, row.deployed_at, row.deployed_by, counts.get(row.id, 0))
        )
    return list(found.values())


def numbers(store: Store, process_key: str) -> list[int]:
    """The version numbers of ``process_key``, oldest first (empty when it was never deployed)."""
    query = select(ProcessVersion.version).where(ProcessVersion.process_key == process_key)
    with store.reading() as tx:
        return sorted(tx.scalars(query))


def stored(store: Store, process_key: str, number: int | None = None) -> StoredVersion:
    """Version ``number`` of ``process_key`` (default: the newest), or NotFound."""
    query = select(ProcessVersion).where(ProcessVersion.process_key == process_key)
    if number is None:
        query = query.order_by(ProcessVersion.version.desc()).limit(1)
    else:
        query = query.where(ProcessVersion.version == number)
    with store.reading() as tx:
        row = tx.scalar(query)
        if row is None:
            what = f"version {number} of process '{process_key}'" if number else f"process '{process_key}'"
            raise NotFound(f"{what} is not deployed")
        return StoredVersion(
            row.process_key,
            row.version,
            row.name,
            row.bpmn_xml,
            own_forms(row.forms or {}),
            list(row.dmn_xml or []),
        )
