"""Fixtures of the forms tests: the sample forms loaded, and an attachment store in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms import AttachmentStore, FormDefinition, load_form
from tests.forms.samples import budget_raw, every_kind_raw


@pytest.fixture
def budget() -> FormDefinition:
    return load_form(budget_raw(), name="budget.json")


@pytest.fixture
def every_kind() -> FormDefinition:
    return load_form(every_kind_raw(), name="every_kind.json")


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "attachments")
