"""What a handler reaches through ``ctx.services``: the composition root's services plus views bound to
the running transaction, so a handler's reads and writes commit or roll back with the step that ran it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sqlalchemy.orm import Session

from engine import directory
from engine.budget.ledger import Ledger
from engine.clock import Clock

Factory = Callable[[Session, Clock], Any]


class DirectoryView:
    """The directory as handlers see it: people by group and unit, read in the step's transaction."""

    def __init__(self, tx: Session) -> None:
        self._tx = tx

    def people(
        self, group: str | None = None, unit: str | None = None, *, above: bool = False
    ) -> list[directory.Person]:
        """Members of ``group`` in ``unit`` (and, with ``above``, in the units above it)."""
        if unit is None:
            return directory.people(self._tx, group=group)
        units = directory.units_above(self._tx, unit) if above else [unit]
        return directory.people(self._tx, group=group, units=units)

    def nearest(self, group: str, unit: str | None) -> list[directory.Person]:
        return directory.nearest_members(self._tx, group, unit)

    def around(self, group: str, unit: str | None) -> list[directory.Person]:
        return directory.members_around(self._tx, group, unit)

    def person(self, name: str) -> directory.Person:
        return directory.person(self._tx, name)


TRANSACTION_SERVICES: dict[str, Factory] = {
    "directory": lambda tx, clock: DirectoryView(tx),
    "ledger": Ledger,
}


class Services(Mapping[str, Any]):
    """The static services, then the transaction-bound ones, each made on first use."""

    def __init__(self, static: Mapping[str, Any], tx: Session, clock: Clock) -> None:
        self._static = static
        self._tx = tx
        self._clock = clock
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name in self._static:
            return self._static[name]
        if name not in self._made:
            factory = TRANSACTION_SERVICES[name]  # KeyError: Mapping semantics for unknown names
            self._made[name] = factory(self._tx, self._clock)
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._static), **dict.fromkeys(TRANSACTION_SERVICES)})

    def __len__(self) -> int:
        return len(set(self._static) | set(TRANSACTION_SERVICES))
