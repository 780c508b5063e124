"""Every setting in one declared table, read from ``NEZARAT_*`` environment variables.

An unknown ``NEZARAT_*`` variable is an error at startup, so a typo never silently falls back to a
default. ``tests/meta`` checks that every setting is documented in the README.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path

from engine.errors import InvalidInput

PREFIX = "NEZARAT_"
ROOT = Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS = (
    Setting("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'nezarat.db'}", "SQLAlchemy URL of the database"),
    Setting("DATA_DIR", str(ROOT / "var"), "Folder for the SQLite database, attachments and generated files"),
    Setting("SECRET_KEY", "", "Secret for signing web sessions; generated into DATA_DIR when empty"),
    Setting(
        "SCHEDULER", "on", "'on' to fire due timers from the web process, 'off' to leave it to `run.py tick`"
    ),
    Setting("TICK_SECONDS", "5", "Seconds between two scheduler ticks"),
    Setting("MAX_BPMN_BYTES", str(5 * 1024 * 1024), "Largest BPMN file accepted for deploy, in bytes"),
)


@dataclasses.dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    secret_key: str
    scheduler: bool
    tick_seconds: float
    max_bpmn_bytes: int


def from_env(environ: Mapping[str, str] | None = None, **overrides: str) -> Settings:
    env = os.environ if environ is None else environ
    known = {PREFIX + s.name for s in SETTINGS}
    unknown = sorted(k for k in env if k.startswith(PREFIX) and k not in known)
    if unknown:
        raise InvalidInput(f"unknown setting {unknown[0]}", hint="known: " + ", ".join(sorted(known)))
    raw = {s.name: env.get(PREFIX + s.name, s.default) for s in SETTINGS}
    raw.update({k.upper(): v for k, v in overrides.items()})
    try:
        return Settings(
            database_url=raw["DATABASE_URL"],
            data_dir=Path(raw["DATA_DIR"]),
            secret_key=raw["SECRET_KEY"],
            scheduler=raw["SCHEDULER"].lower() in ("on", "1", "true", "yes"),
            tick_seconds=float(raw["TICK_SECONDS"]),
            max_bpmn_bytes=int(raw["MAX_BPMN_BYTES"]),
        )
    except ValueError as err:
        raise InvalidInput(f"a setting has a wrong value: {err}") from None
