"""KPIs computed from the history and the inbox: work done on time or late, open and overdue work per
org unit and per process, and seed 001's supervision ratios. Read-only: every function takes a reading
transaction and the moment ``now`` from the caller (the platform's clock).

What each number means is said in :mod:`engine.kpi.tasks` and :mod:`engine.kpi.supervision`; the
period rules in :mod:`engine.kpi.period`; who sees which units in :mod:`engine.kpi.scope`.
"""

from engine.kpi.period import Period, period
from engine.kpi.report import Report, compute
from engine.kpi.scope import Scope, scope_for
from engine.kpi.table import lines

__all__ = ["Period", "Report", "Scope", "compute", "lines", "period", "scope_for"]
