"""Resource limits for one script run, and the per-run budget that enforces them."""

from __future__ import annotations

import os
import sys
import time
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """How much one evaluation or script run may do before it is stopped."""

    max_steps: int = 100_000
    max_seconds: float = 2.0
    max_int_bits: int = 4096
    max_sequence: int = 1_000_000
    max_memory_mb: int = 512


DEFAULT_LIMITS = Limits()
SCRIPT_FILENAME = "<script>"

# A single guarded operation producing at least this many items triggers a memory check at once.
BIG_RESULT = 65_536
# Otherwise memory is checked every this many steps (reading /proc costs a few microseconds).
MEMORY_CHECK_EVERY = 256


class ScriptAborted(BaseException):
    """A run went over its budget.

    A ``BaseException`` so that ``except Exception:`` inside a script cannot swallow it.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def resident_bytes() -> int | None:
    """Resident memory of this process, or None where /proc is not available."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * _PAGE_SIZE


_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class Budget:
    """Counts the steps, time and memory of one run; once exhausted it stays exhausted."""

    __slots__ = ("aborted", "aborted_line", "deadline", "limits", "memory_base", "steps")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.steps = 0
        self.deadline = time.perf_counter() + limits.max_seconds
        self.memory_base: int | None = None
        self.aborted: str | None = None
        self.aborted_line: int | None = None

    def step(self) -> bool:
        """Called by the rewritten script at every loop iteration and function call."""
        self.steps += 1
        if self.steps > self.limits.max_steps:
            self.abort(f"script exceeded {self.limits.max_steps} steps (possible endless loop)")
        if time.perf_counter() > self.deadline:
            self.abort(f"script ran longer than {self.limits.max_seconds:g} seconds")
        if self.steps == 1 or self.steps % MEMORY_CHECK_EVERY == 0:
            self.check_memory()
        return True

    def note_size(self, items: int) -> None:
        """Called by the guards after they let a large result through."""
        if items >= BIG_RESULT:
            self.check_memory()

    def check_memory(self) -> None:
        rss = resident_bytes()
        if rss is None:
            return
        if self.memory_base is None:
            self.memory_base = rss
            return
        limit = self.limits.max_memory_mb * 1024 * 1024
        if rss - self.memory_base > limit:
            self.abort(f"script used more than {self.limits.max_memory_mb} MB of memory")

    def abort(self, message: str) -> None:
        self.aborted = message
        self.aborted_line = _script_line_of_caller()
        raise ScriptAborted(message)


def _script_line_of_caller() -> int | None:
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename != SCRIPT_FILENAME:
        frame = frame.f_back
    return frame.f_lineno if frame is not None else None


# The budget of the run in progress on this thread, for guards that check memory after large results.
CURRENT_BUDGET: ContextVar[Budget | None] = ContextVar("nezarat_script_budget", default=None)
