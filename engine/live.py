"""Workflows kept in memory between calls, keyed by instance and revision.

Deserializing is most of a step's cost. An operation *takes* the cached workflow (so a failed
transaction can never leave a mutated object behind) and puts it back only after its commit; the
revision in the database decides whether the cached object is still current.
"""

from __future__ import annotations

import collections
import threading
from typing import Any


class LiveWorkflows:
    def __init__(self, size: int = 2000) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: collections.OrderedDict[str, tuple[int, Any]] = collections.OrderedDict()

    def take(self, instance_id: str, revision: int) -> Any | None:
        with self._lock:
            found = self._items.pop(instance_id, None)
        if found is None or found[0] != revision:
            return None
        return found[1]

    def put(self, instance_id: str, revision: int, workflow: Any) -> None:
        if self._size <= 0:
            return
        with self._lock:
            self._items[instance_id] = (revision, workflow)
            self._items.move_to_end(instance_id)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def forget(self, instance_id: str) -> None:
        with self._lock:
            self._items.pop(instance_id, None)
