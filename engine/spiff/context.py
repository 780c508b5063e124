"""What one engine call runs for: SpiffWorkflow gives a task spec only the task, so we carry the rest."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from engine.clock import Clock


@dataclasses.dataclass
class RunContext:
    """Who and what a workflow step runs for; handlers see it through their HandlerContext."""

    instance_id: str
    process_key: str
    actor: str | None
    clock: Clock
    services: Mapping[str, Any]
    # The unit the case belongs to (the instance's org unit), for handlers that address people by unit.
    org_unit: str | None = None
