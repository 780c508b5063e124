"""Saved inbox filters: a user's named query strings (``saved_filters``), at most :data:`LIMIT` each."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import delete, func, select

from engine.errors import InvalidInput
from engine.persian import to_persian_digits
from engine.store.session import Store
from engine.store.web_models import SavedFilter

LIMIT = 20
MAX_NAME = 100


@dataclasses.dataclass(frozen=True)
class Saved:
    id: int
    name: str
    query: str


def of_user(store: Store, user: str) -> list[Saved]:
    query = select(SavedFilter.id, SavedFilter.name, SavedFilter.query).where(SavedFilter.user == user)
    with store.reading() as tx:
        return [Saved(*row) for row in tx.execute(query.order_by(SavedFilter.name))]


def save(store: Store, user: str, name: str, query: str, now: dt.datetime) -> None:
    """Save ``query`` as ``name`` (replacing the user's filter of that name)."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(f"نام فیلتر باید ۱ تا {to_persian_digits(MAX_NAME)} نویسه باشد.")
    with store.transaction() as tx:
        row = tx.scalars(
            select(SavedFilter).where(SavedFilter.user == user, SavedFilter.name == name)
        ).first()
        if row is not None:
            row.query = query
            return
        count = tx.scalar(select(func.count()).where(SavedFilter.user == user))
        if count is not None and count >= LIMIT:
            raise InvalidInput(f"بیش از {to_persian_digits(LIMIT)} فیلتر نمی‌توان ذخیره کرد؛ یکی را پاک کنید.")
        tx.add(SavedFilter(user=user, name=name, query=query, created_at=now))


def remove(store: Store, user: str, filter_id: int) -> None:
    """Delete one of ``user``'s filters (someone else's id deletes nothing)."""
    with store.transaction() as tx:
        tx.execute(delete(SavedFilter).where(SavedFilter.id == filter_id, SavedFilter.user == user))
