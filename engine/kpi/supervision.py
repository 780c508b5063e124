"""Seed 001's KPIs: the supervision of the executive agencies' budget performance
(``processes/agency_budget_supervision``), target 100 % a year.

The bundle's script task ``kpis`` writes ``kpi`` = {agencies_subject, agencies_evaluated,
national_visitable, national_visited, provincial_visitable, provincial_visited} into the case. An
instance counts in a period when that script ran in it (its ``script_completed`` event, the latest one
if it ran more than once) and the instance is not cancelled; its numbers are read from the
``instance_completed`` event when the instance is completed, else from the script task's data in the
stored state (the deputy's conclusion still open). The three ratios sum the numbers over the counted
instances: agencies evaluated / subject to evaluation, national projects visited / visitable,
provincial projects visited / visitable; a percentage is None when its denominator is 0. The unit
filter keeps instances whose case unit is in scope (a timer-started instance has none, so it shows
only when no unit is asked for).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.kpi.period import Period
from engine.kpi.scope import Scope
from engine.kpi.tasks import percent
from engine.spiff import workflow
from engine.spiff.serializer import codec
from engine.store import instances
from engine.store.models import HistoryEvent, Instance
from engine.versions import VersionCache

PROCESS_KEY = "agency_budget_supervision"
SCRIPT = "kpis"
TARGET_PCT = 100
FIELDS = (
    "agencies_subject",
    "agencies_evaluated",
    "national_visitable",
    "national_visited",
    "provincial_visitable",
    "provincial_visited",
)
RATIOS = {  # name in the report → (numerator, denominator) in the case's ``kpi``
    "agencies_evaluated": ("agencies_evaluated", "agencies_subject"),
    "national_projects_visited": ("national_visited", "national_visitable"),
    "provincial_projects_visited": ("provincial_visited", "provincial_visitable"),
}


@dataclasses.dataclass
class SupervisionKpis:
    sums: dict[str, int]
    cases: list[dict[str, Any]]

    def ratios(self) -> dict[str, dict[str, Any]]:
        out = {}
        for name, (numerator, denominator) in RATIOS.items():
            part, whole = self.sums[numerator], self.sums[denominator]
            out[name] = {"numerator": part, "denominator": whole, "pct": percent(part, whole)}
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "process_key": PROCESS_KEY,
            "instances": len(self.cases),
            "target_pct": TARGET_PCT,
            **self.ratios(),
            "cases": self.cases,
        }


def supervision_kpis(
    tx: Session, *, period: Period, scope: Scope, versions: VersionCache | None = None
) -> SupervisionKpis:
    out = SupervisionKpis(dict.fromkeys(FIELDS, 0), [])
    loaded = versions or VersionCache()
    rows = [r for r in _computed(tx, period) if r.status != "cancelled" and scope.holds(r.org_unit)]
    ended = _completed_kpis(tx, [r.id for r in rows if r.status == "completed"])
    for row in rows:
        kpi = _numbers(ended.get(row.id) if row.status == "completed" else _running_kpi(tx, row, loaded))
        if kpi is None:
            continue
        for field in FIELDS:
            out.sums[field] += kpi[field]
        out.cases.append(
            {
                "instance_id": row.id,
                "business_key": row.business_key,
                "org_unit": row.org_unit,
                "status": row.status,
                "computed_at": row.at.isoformat(),
                "kpi": kpi,
            }
        )
    return out


def _computed(tx: Session, period: Period) -> list[Any]:
    """Instances whose KPI script ran in the period, oldest first (each once: its latest run)."""
    query = (
        select(
            Instance.id,
            Instance.business_key,
            Instance.org_unit,
            Instance.status,
            HistoryEvent.task_id,
            HistoryEvent.at,
        )
        .join(Instance, Instance.id == HistoryEvent.instance_id)
        .where(
            Instance.process_key == PROCESS_KEY,
            HistoryEvent.kind == "script_completed",
            HistoryEvent.element_id == SCRIPT,
            HistoryEvent.at >= period.since,
            HistoryEvent.at < period.until,
        )
        .order_by(HistoryEvent.at, HistoryEvent.seq)
    )
    latest = {row.id: row for row in tx.execute(query)}
    return sorted(latest.values(), key=lambda row: (row.at, row.id))


def _completed_kpis(tx: Session, instance_ids: list[str]) -> dict[str, Any]:
    """The ``kpi`` each completed instance ended with, read in one query from its last event."""
    if not instance_ids:
        return {}
    ended = select(HistoryEvent.instance_id, HistoryEvent.data).where(
        HistoryEvent.instance_id.in_(instance_ids), HistoryEvent.kind == "instance_completed"
    )
    return {i: dict((data or {}).get("data") or {}).get("kpi") for i, data in tx.execute(ended)}


def _running_kpi(tx: Session, row: Any, versions: VersionCache) -> Any:
    """A case still open after its KPI script (the conclusion pending): the history keeps only which
    keys the script set, so the numbers are read from the stored state — a few cases a year."""
    head = instances.head(tx, row.id)
    version = versions.get(tx, head.version_id)
    wf = codec(version.flavour).load_state(
        instances.state(tx, row.id), version.spec, version.subprocess_specs
    )
    try:
        return workflow.task_data(wf, row.task_id).get("kpi")
    except NotFound:  # the script's task is gone from the tree: nothing to read
        return None


def _numbers(kpi: Any) -> dict[str, int] | None:
    """The six counts, or None when the case's ``kpi`` is not six non-negative whole numbers."""
    if not isinstance(kpi, Mapping):
        return None
    values = {field: kpi.get(field) for field in FIELDS}
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values.values()):
        return None
    return {field: int(value) for field, value in values.items() if isinstance(value, int)}
