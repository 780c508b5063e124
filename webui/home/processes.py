"""The processes page's query: each deployed process with its newest version and the running instances
the person may see (those of their unit and the units below it; every one for ``admin`` and ``auditor``)."""

from __future__ import annotations

from sqlalchemy import func, select

from engine import access, directory
from engine.directory import Person
from engine.store.models import Instance, ProcessVersion
from engine.store.session import Store
from webui.home.contexts import ProcessSummary


def summaries(store: Store, person: Person | None = None) -> list[ProcessSummary]:
    """One row per process key, ordered by key: newest version's number and name, running count.

    ``person=None`` counts every running instance (the operator's view).
    """
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
        if person is not None and not person.groups & access.SEE_ALL:
            running = running.where(Instance.org_unit.in_(sorted(directory.units_below(tx, person.unit))))
        counts = {key: n for key, n in tx.execute(running)}
        rows = tx.execute(versions).all()
    return [ProcessSummary(key, name, version, n, counts.get(key, 0)) for key, name, version, n in rows]
