"""Signed checkpoints: the server's seal over the head of an instance's hash chain.

The hash chain alone shows that rows were changed, deleted or reordered, but someone who can write the
database can also recompute every hash after a change. A checkpoint stops that: after a step that
records a ``signed`` event, completes the instance or cancels it, the same transaction appends a
``checkpoint`` event holding the seq and hash of the event just before it (the last event of that
step) and a detached CMS by the server's seal over :func:`sealed_text` of (instance, seq, hash, time).
The checkpoint is itself chained, so the next checkpoint seals it too; re-hashing the chain moves the
sealed hash away from what the seal signed.

The seal is injected (``handlers.signing.seal``); without one no checkpoint is written, as before. An
instance begun under a seal says so in its ``started`` event (``sealed``), so deleting every checkpoint
of its history (and re-hashing the chain) still shows: its signed, completing and cancelling steps have
none after them. Someone who also rewrites that ``started`` event evades this check; only evidence kept
outside the database (an audit package exported earlier) shows that.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from engine.history import Event, canonical, stamp

# Signs bytes as a detached CMS (DER) with the server's seal.
Seal = Callable[[bytes], bytes]

KIND = "checkpoint"
FORMAT = "nezarat-checkpoint/1"
# A step that records one of these ends with a checkpoint.
SEALED_AFTER = frozenset({"signed", "instance_completed", "cancelled"})
SEALED = "sealed"  # the key in a ``started`` event's data


def sealed_start(started: Event) -> Event:
    """The ``started`` event of an instance begun under a seal: ``sealed`` tells verify that every step of
    :data:`SEALED_AFTER` must end with a checkpoint, from the first (an instance begun before the server
    had a seal has none to show, and is not held to it)."""
    return dataclasses.replace(started, data={**started.data, SEALED: True})


def sealed_from_start(rows: Iterable[Any]) -> bool:
    """Whether the history's ``started`` event says the instance was begun under a seal."""
    started = next((r for r in rows if r.kind == "started"), None)
    return started is not None and bool((started.data or {}).get(SEALED))


def sealed_text(instance_id: str, seq: int, head_hash: str, at: str) -> bytes:
    """The exact bytes the seal signs: canonical JSON of the format, instance, seq, head hash and time."""
    body = {"format": FORMAT, "instance_id": instance_id, "seq": seq, "hash": head_hash, "at": at}
    return canonical(body).encode("utf-8")


def wanted(events: Iterable[Event]) -> bool:
    return any(e.kind in SEALED_AFTER for e in events)


def checkpoint(instance_id: str, head: tuple[int, str], at: dt.datetime, seal: Seal) -> Event:
    """The ``checkpoint`` event sealing the chain whose last event is ``head`` = (seq, hash)."""
    seq, head_hash = head
    when = stamp(at)
    signature = seal(sealed_text(instance_id, seq, head_hash, when))
    data = {"seq": seq, "hash": head_hash, "at": when, "cms": base64.b64encode(signature).decode("ascii")}
    return Event(KIND, data=data)


def sealed_of(instance_id: str, data: Mapping[str, Any]) -> tuple[int, str, bytes, bytes]:
    """From a checkpoint event's data: the sealed (seq, hash), the bytes signed and the CMS.

    Raises ValueError (or KeyError, TypeError) when the data is not a checkpoint's.
    """
    seq, head_hash, when = int(data["seq"]), str(data["hash"]), str(data["at"])
    signature = base64.b64decode(str(data["cms"]), validate=True)
    return seq, head_hash, sealed_text(instance_id, seq, head_hash, when), signature
