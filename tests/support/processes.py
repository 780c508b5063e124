"""Run one function in two fresh processes released together, as two servers or workers would."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any


def run_twice_at_once(target: Callable[..., None], *args: Any) -> list[Any]:
    """Call ``target(*args, barrier, results)`` in two spawned processes; return what each put in results."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, barrier, results)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    return [results.get(timeout=5) for _ in procs]
