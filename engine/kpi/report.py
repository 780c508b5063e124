"""One KPI report: the period, whose units, the work and deadline numbers, and seed 001's ratios."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from engine.kpi.period import Period, period
from engine.kpi.scope import Scope, scope_for
from engine.kpi.supervision import SupervisionKpis, supervision_kpis
from engine.kpi.tasks import TaskKpis, task_kpis
from engine.versions import VersionCache


@dataclasses.dataclass
class Report:
    period: Period
    now: dt.datetime
    scope: Scope
    tasks: TaskKpis
    supervision: SupervisionKpis

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data: ``period``, ``now``, ``unit``, ``units``, ``tasks``, ``agency_budget_supervision``."""
        return {
            "period": self.period.to_dict(),
            "now": self.now.astimezone(dt.UTC).isoformat(),
            "unit": self.scope.unit,
            "units": None if self.scope.units is None else sorted(self.scope.units),
            "tasks": self.tasks.to_dict(),
            "agency_budget_supervision": self.supervision.to_dict(),
        }


def compute(
    tx: Session,
    *,
    now: dt.datetime,
    since: Any = None,
    until: Any = None,
    unit: str | None = None,
    actor: str | None = None,
    versions: VersionCache | None = None,
) -> Report:
    """The KPIs of ``[since, until)`` (default: the fiscal year of ``now``) for ``unit`` and the units
    under it (default: every unit for the operator and admins, the actor's own unit for others)."""
    scope = scope_for(tx, actor=actor, unit=unit)
    span = period(since, until, now=now)
    return Report(
        span,
        now,
        scope,
        task_kpis(tx, period=span, scope=scope, now=now),
        supervision_kpis(tx, period=span, scope=scope, versions=versions),
    )
