"""The demo organisation: units and users from ``engine/data/demo_organisation.json``, loaded idempotently.

``python run.py init-db --demo`` calls :func:`load_demo`; loading it again updates the same units and
users to the file's titles and groups and adds nothing twice. Demo users without a password get
:data:`DEMO_PASSWORD` (README, "Demo users"); a password someone set since is kept.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import directory, passwords
from engine.store.models import User

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_organisation.json"
DEMO_PASSWORD = "nezarat-demo"


@dataclasses.dataclass(frozen=True)
class Loaded:
    units: int
    users: int


def load_demo(tx: Session, path: Path = DEMO_FILE) -> Loaded:
    """Create or update every unit (parents first) and user of the demo file."""
    organisation: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    units, users = organisation["units"], organisation["users"]
    for unit in units:
        directory.add_unit(
            tx, unit["name"], title=unit.get("title"), parent=unit.get("parent"), kind=unit.get("kind")
        )
    for group in organisation.get("groups", []):
        directory.add_group(tx, group["name"], title=group.get("title"), title_en=group.get("title_en"))
    for user in users:
        directory.add_user(
            tx,
            user["name"],
            groups=list(user["groups"]),
            unit=user.get("unit"),
            title=user.get("title"),
            email=user.get("email"),
        )
    return Loaded(units=len(units), users=len(users))


def set_demo_passwords(tx: Session, path: Path = DEMO_FILE, password: str = DEMO_PASSWORD) -> int:
    """Give each demo user who has no password ``password``; returns how many got it.

    One hash serves them all: the password is public anyway, and scrypt is deliberately slow.
    """
    names = [user["name"] for user in json.loads(path.read_text(encoding="utf-8"))["users"]]
    rows = tx.scalars(select(User).where(User.name.in_(names), User.password_hash.is_(None))).all()
    if rows:
        shared = passwords.hash_password(password)
        for row in rows:
            row.password_hash = shared
    return len(rows)


def has_users(tx: Session) -> bool:
    return bool(tx.scalar(select(func.count()).select_from(User)))


__all__ = ["DEMO_FILE", "DEMO_PASSWORD", "Loaded", "has_users", "load_demo", "set_demo_passwords"]
