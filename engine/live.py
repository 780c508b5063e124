"""Workflows kept in memory between calls, keyed by instance and revision.

Deserializing is most of a step's cost. An operation *takes* the cached workflow (so a failed
transaction can never leave a mutated object behind) and puts it back only after its commit; the
revision in the database decides whether the cached object is still current.

Beside the workflow sit the instance's rows as that revision left them (engine.commit.Rows: which task
rows are open, which BPMN timers wait): every change to which of those rows exist goes with a new
revision, so the next step at that revision knows them without reading or recomputing them.
"""

from __future__ import annotations

import collections
import threading
from typing import Any


class LiveWorkflows:
    def __init__(self, size: int = 2000) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: collections.OrderedDict[str, tuple[int, Any, Any]] = collections.OrderedDict()

    def take(self, instance_id: str, revision: int) -> Any | None:
        return self.take_with_rows(instance_id, revision)[0]

    def take_with_rows(self, instance_id: str, revision: int) -> tuple[Any | None, Any | None]:
        """(workflow, rows) cached at ``revision``, or (None, None)."""
        with self._lock:
            found = self._items.pop(instance_id, None)
        if found is None or found[0] != revision:
            return None, None
        return found[1], found[2]

    def put(self, instance_id: str, revision: int, workflow: Any, rows: Any = None) -> None:
        if self._size <= 0:
            return
        with self._lock:
            self._items[instance_id] = (revision, workflow, rows)
            self._items.move_to_end(instance_id)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def forget(self, instance_id: str) -> None:
        with self._lock:
            self._items.pop(instance_id, None)
