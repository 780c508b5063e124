"""Schema migrations with Alembic, run from code (``init-db`` and the tests), no alembic.ini needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

SCRIPTS = Path(__file__).with_name("alembic")


def config(engine: Engine | None = None) -> Any:
    from alembic.config import Config  # imported on use: alembic loads every dialect (~0.25 s per command)

    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(config(engine), revision)
