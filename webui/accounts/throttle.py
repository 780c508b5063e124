"""Throttled sign-in: after :data:`LIMIT` failures for one user name from one address within
:data:`WINDOW`, that pair is refused until the oldest failure ages out.

Failures are rows of ``sign_in_failures`` (the database, so every worker process counts the same ones
and a restart forgives nothing). A success clears the pair's failures; old rows are pruned as new ones
are written. Names that do not exist are counted the same way, so the answer does not tell whether a
user exists.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select

from engine.store.session import Store
from engine.store.web_models import SignInFailure

LIMIT = 5
WINDOW = dt.timedelta(minutes=15)


def blocked_for(store: Store, user_name: str, address: str, now: dt.datetime) -> dt.timedelta | None:
    """How long the pair is still refused, or None when it may try."""
    since = now - WINDOW
    query = select(func.count(), func.min(SignInFailure.at)).where(
        SignInFailure.user_name == user_name, SignInFailure.address == address, SignInFailure.at > since
    )
    with store.reading() as tx:
        count, oldest = tx.execute(query).one()
    if count < LIMIT or oldest is None:
        return None
    return max(oldest + WINDOW - now, dt.timedelta(seconds=1))


def record_failure(store: Store, user_name: str, address: str, now: dt.datetime) -> None:
    with store.transaction() as tx:
        tx.execute(delete(SignInFailure).where(SignInFailure.at <= now - WINDOW))
        tx.add(SignInFailure(user_name=user_name[:100], address=address[:64], at=now))


def clear(store: Store, user_name: str, address: str) -> None:
    with store.transaction() as tx:
        tx.execute(
            delete(SignInFailure).where(
                SignInFailure.user_name == user_name, SignInFailure.address == address
            )
        )
