"""Typed context of the dashboard page."""

from __future__ import annotations

import dataclasses
from typing import Any

from webui.dashboards.charts import BarChart
from webui.people import Option


@dataclasses.dataclass(frozen=True)
class DashboardFilters:
    since: str = ""
    until: str = ""
    unit: str = ""

    def args(self) -> dict[str, str]:
        return {k: v for k, v in (("from", self.since), ("to", self.until), ("unit", self.unit)) if v}


@dataclasses.dataclass(frozen=True)
class DashboardPage:
    """Context of ``templates/dashboards/index.html``: ``report`` is ``Platform.kpis``'s data (None when
    the filters could not be read: ``problem`` says why), ``charts`` its bar charts by name."""

    filters: DashboardFilters
    units: list[Option]
    report: dict[str, Any] | None
    process_titles: dict[str, str]
    charts: dict[str, BarChart]
    ratio_labels: dict[str, str]
    problem: str | None
