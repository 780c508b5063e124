"""The home page's query: each deployed process with its newest version and its running instances."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.store.models import Instance, ProcessVersion
from engine.store.session import Store
from webui.home.contexts import ProcessSummary


def summaries(store: Store) -> list[ProcessSummary]:
    """One row per process key, ordered by key: newest version's number and name, running count."""
    newest = (
        select(
            ProcessVersion.process_key,
            func.max(ProcessVersion.version).label("version"),
            func.count().label("versions"),
        )
        .group_by(ProcessVersion.process_key)
        .subquery()
    )
    versions = (
        select(ProcessVersion.process_key, ProcessVersion.name, ProcessVersion.version, newest.c.versions)
        .join(
            newest,
            (ProcessVersion.process_key == newest.c.process_key)
            & (ProcessVersion.version == newest.c.version),
        )
        .order_by(ProcessVersion.process_key)
    )
    running = (
        select(Instance.process_key, func.count())
        .where(Instance.status == "running")
        .group_by(Instance.process_key)
    )
    with store.reading() as tx:
        counts = {key: n for key, n in tx.execute(running)}
        rows = tx.execute(versions).all()
    return [ProcessSummary(key, name, version, n, counts.get(key, 0)) for key, name, version, n in rows]
