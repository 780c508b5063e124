"""How a replayed event is compared with the recorded one, kind by kind, through one table.

Ids the replay cannot reproduce — the instance's and SpiffWorkflow's task ids are random — are paired
as they first appear (:class:`IdPairs`) and must stay paired: a task the replay made for one recorded
task cannot later stand for another. Times are not compared: the replay's clock is set to each recorded
event's time, so every time the engine derives from it (a due date) is compared inside the data.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from typing import Any

from engine.errors import NezaratError
from engine.history import to_plain


@dataclasses.dataclass(frozen=True)
class Rule:
    """How one kind is compared: ``data`` False compares no data; ``ignore`` names data keys left out."""

    data: bool = True
    ignore: frozenset[str] = frozenset()
    why: str = ""


RULES: dict[str, Rule] = {
    "started": Rule(ignore=frozenset({"sealed"}), why="the replay's runtime seals nothing"),
    "signed": Rule(data=False, why="the signature is checked by verify, not made again"),
    # Who was told depends on the directory of that day and on whether the mail server answered.
    "sla_reminder": Rule(ignore=frozenset({"notified", "notice_failed"})),
    "escalated": Rule(ignore=frozenset({"notified", "notice_failed"})),
}
DEFAULT_RULE = Rule()

# Kinds that record who holds a task and why: the office's state at the time (workload, absences,
# claims, referrals), not something the process computes. Replay takes them from the history and
# applies them to its own task rows; they are neither fed as inputs nor compared.
HOLDER_KINDS = frozenset(
    {"assigned", "referral_skipped", "claimed", "unclaimed", "referred", "returned", "reassigned"}
)
# Kinds other parts of the platform add to the history (signed checkpoints, an administrator suspending
# and resuming): verify checks them; they change nothing the process computes, so replay passes over
# them. An administrator's data edit does change it: replay feeds it as an input (engine.replay).
PASSED_KINDS = frozenset({"checkpoint", "suspended", "resumed"})


def is_context(kind: str) -> bool:
    return kind in HOLDER_KINDS or kind in PASSED_KINDS or kind.startswith("admin_")


class IdPairs:
    """Recorded id <-> replayed id, paired on first sight and checked after."""

    def __init__(self) -> None:
        self.to_replayed: dict[str, str] = {}
        self.to_recorded: dict[str, str] = {}

    def pair(self, recorded: str | None, replayed: str | None) -> str | None:
        """Pair the two ids, or say why they cannot be paired."""
        if recorded is None or replayed is None:
            return None if recorded == replayed else "one event names a task and the other does not"
        known = self.to_replayed.get(recorded)
        if known is None and replayed not in self.to_recorded:
            self.to_replayed[recorded] = replayed
            self.to_recorded[replayed] = recorded
            return None
        if known == replayed:
            return None
        return "the replay acted on another task than the recorded one"

    def recorded_value(self, value: Any) -> Any:
        """``value`` with every replayed id it holds (as a whole string) put back as the recorded id."""
        if isinstance(value, str):
            return self.to_recorded.get(value, value)
        if isinstance(value, Mapping):
            return {k: self.recorded_value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.recorded_value(v) for v in value]
        return value


def shown(kind: str, actor: str | None, element: str | None, task: str | None, data: Any) -> dict[str, Any]:
    """An event as a report shows it: what was compared."""
    return {"kind": kind, "actor": actor, "element_id": element, "task_id": task, "data": data}


def difference(recorded: Any, replayed: Any, ids: IdPairs, *, assigned: set[str]) -> str | None:
    """What differs between a recorded and a replayed event (history rows), or None.

    ``assigned``: recorded task ids whose holder was chosen by smart referral, whose ``task_ready``
    carries that choice.
    """
    if recorded.kind != replayed.kind:
        return f"the replay produced '{replayed.kind}' where the history has '{recorded.kind}'"
    if recorded.element_id != replayed.element_id:
        return f"the replay reached element '{replayed.element_id}', not '{recorded.element_id}'"
    if (problem := ids.pair(recorded.task_id, replayed.task_id)) is not None:
        return problem
    if recorded.actor != replayed.actor:
        return f"the replay acted as '{replayed.actor}', not '{recorded.actor}'"
    rule = RULES.get(recorded.kind, DEFAULT_RULE)
    if not rule.data:
        return None
    ignore = set(rule.ignore) | ({"assignee"} if recorded.task_id in assigned else set())
    want, got = compared_data(recorded.data, ignore), compared_data(ids.recorded_value(replayed.data), ignore)
    if want != got:
        return "the data differ: " + describe_keys(want, got)
    return None


def compared_data(data: Any, ignore: set[str]) -> Any:
    plain = to_plain(data or {})
    return {k: v for k, v in plain.items() if k not in ignore} if isinstance(plain, dict) else plain


def describe_keys(want: Any, got: Any) -> str:
    """Which top-level keys differ (``delta`` and ``data`` are followed one level down)."""
    if not isinstance(want, dict) or not isinstance(got, dict):
        return f"{want!r} recorded, {got!r} replayed"
    keys = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
    parts = []
    for key in keys:
        if key in ("delta", "data") and isinstance(want.get(key), dict) and isinstance(got.get(key), dict):
            parts.append(f"{key}: ({describe_keys(want[key], got[key])})")
        else:
            parts.append(f"{key}: {want.get(key)!r} recorded, {got.get(key)!r} replayed")
    return "; ".join(parts)


def sealed_as_recorded(recorded: Any, made: Any, store: Any) -> Any:
    """``made`` with each document it names replaced by the recorded one when the recorded file is the
    replayed file plus a signature appended to it (a PAdES seal is an incremental update: the rendered
    bytes stay a prefix). A replay renders documents but does not seal them again: a seal carries the
    moment it was made and a timestamp token, which no re-run reproduces."""
    if store is None or not isinstance(made.data, dict) or not isinstance(recorded.data, dict):
        return made
    swapped = swap_sealed(recorded.data, made.data, store)
    if swapped is made.data:
        return made
    return types.SimpleNamespace(**{k: getattr(made, k) for k in _EVENT_FIELDS}, data=swapped)


_EVENT_FIELDS = ("seq", "at", "actor", "kind", "element_id", "task_id")


def swap_sealed(recorded: Any, made: Any, store: Any) -> Any:
    """``made`` (event or instance data) with each replayed document the recorded one seals put back."""
    if isinstance(recorded, dict) and isinstance(made, dict):
        out = {k: swap_sealed(recorded.get(k), v, store) for k, v in made.items()}
        return made if all(out[k] is made[k] for k in made) else out
    if isinstance(recorded, list) and isinstance(made, list) and len(recorded) == len(made):
        items = [swap_sealed(r, m, store) for r, m in zip(recorded, made, strict=True)]
        return made if all(i is m for i, m in zip(items, made, strict=True)) else items
    if (
        isinstance(recorded, str)
        and isinstance(made, str)
        and recorded != made
        and recorded.startswith("sha256:")
        and made.startswith("sha256:")
        and _extends(store, recorded, made)
    ):
        return recorded
    return made


def _extends(store: Any, recorded: str, made: str) -> bool:
    try:
        sealed, rendered = store.get(recorded), store.get(made)
    except NezaratError:
        return False
    return (
        len(sealed) > len(rendered)
        and sealed.startswith(rendered)
        and b"/ByteRange" in sealed[len(rendered) :]
    )
