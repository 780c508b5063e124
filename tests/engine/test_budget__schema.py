"""The migrations build exactly the tables the models describe, and the budget migration goes both ways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from engine.store import schema
from engine.store.models import Base
from engine.store.session import Store

BUDGET_TABLES = {"budgets", "budget_lines", "ledger_entries"}


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    built = Store(db_url)
    built.migrate()
    yield built
    built.dispose()


def test_autogenerate_finds_no_difference_between_the_migrated_schema_and_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_budget_migration_downgrades_and_upgrades_again(store: Store) -> None:
    assert set(inspect(store.engine).get_table_names()) >= BUDGET_TABLES
    command.downgrade(schema.config(store.engine), "0002")
    assert not BUDGET_TABLES & set(inspect(store.engine).get_table_names())
    store.migrate()
    assert set(inspect(store.engine).get_table_names()) >= BUDGET_TABLES
