"""The platform as run.py and the web build it: completions are validated against the task's form of
the deployed bundle — Persian errors per field and nothing stored on refusal, normalised data on success."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine import service_tasks
from engine.clock import FixedClock
from engine.definitions.deploy import diagnostics_of
from engine.errors import DefinitionError, ValidationError
from engine.platform import Platform
from engine.settings import from_env
from engine.store.models import HistoryEvent, ProcessVersion
from handlers import wiring
from tests.conftest import add_people, bundle


@pytest.fixture
def platform(tmp_path: Path, clock: FixedClock) -> Platform:
    settings = from_env({}, database_url=f"sqlite:///{tmp_path / 'n.db'}", data_dir=str(tmp_path))
    built = Platform.build(settings, clock=clock, **wiring.platform_parts(settings, clock))
    built.init_db()
    with built.store.transaction() as tx:
        add_people(tx)
    service_tasks.unregister("test.stamp")  # another module may have left its own registered
    service_tasks.handler("test.stamp")(lambda ctx: {"letter_no": "L-1"})
    built.deploy(bundle("review"), actor="admin")
    yield built
    service_tasks.unregister("test.stamp")
    built.store.dispose()


def draft_task(platform: Platform) -> dict[str, object]:
    started = platform.start("review", {}, actor="ali")
    (task,) = platform.tasks("ali", instance_id=started.instance_id)
    return task


def events(platform: Platform) -> int:
    with platform.store.reading() as tx:
        return int(tx.scalar(select(func.count()).select_from(HistoryEvent)))


def test_invalid_data_is_refused_with_persian_messages_and_nothing_moves(platform: Platform) -> None:
    task = draft_task(platform)
    before = events(platform)
    with pytest.raises(ValidationError) as refused:
        platform.complete(str(task["id"]), {"amount": -5, "subject": 12}, actor="ali")
    details = refused.value.details
    assert [(d["path"], d["rule"]) for d in details] == [("amount", "minimum"), ("subject", "type")]
    assert "مبلغ" in details[0]["message"]["fa"]
    assert events(platform) == before
    assert platform.tasks("ali", instance_id=str(task["instance_id"]))[0]["id"] == task["id"]


def test_a_missing_required_field_is_named(platform: Platform) -> None:
    task = draft_task(platform)
    with pytest.raises(ValidationError) as refused:
        platform.complete(str(task["id"]), {"subject": "خرید"}, actor="ali")
    assert [d["path"] for d in refused.value.details] == ["amount"]


def test_persian_digits_and_arabic_letters_are_normalised_before_they_are_stored(platform: Platform) -> None:
    task = draft_task(platform)
    platform.complete(str(task["id"]), {"amount": "۱۲۰٬۰۰۰", "subject": "خريد كاغذ"}, actor="ali")
    (done,) = [e for e in platform.history(str(task["instance_id"])) if e["kind"] == "completed"]
    assert done["data"]["submitted"] == {"amount": 120000, "subject": "خرید کاغذ"}


def test_a_bundle_with_a_broken_form_is_refused_at_deploy_and_nothing_is_stored(
    platform: Platform, tmp_path: Path
) -> None:
    broken = tmp_path / "broken_review"
    shutil.copytree(bundle("review"), broken)
    form = next((broken / "forms").glob("*.json"))
    definition = json.loads(form.read_text(encoding="utf-8"))
    definition["schema"]["properties"]["amount"]["type"] = "money"  # not a JSON Schema type
    form.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    with platform.store.reading() as tx:
        versions = tx.scalar(select(func.count()).select_from(ProcessVersion))

    with pytest.raises(DefinitionError) as refused:
        platform.deploy(broken, actor="admin")

    (problem,) = [d for d in diagnostics_of(refused.value) if d.code == "NZ021"]
    assert problem.file == f"forms/{form.name}" and "amount" in problem.message
    with platform.store.reading() as tx:
        assert tx.scalar(select(func.count()).select_from(ProcessVersion)) == versions
    (report,) = platform.check(broken).values()  # `run.py check` says the same without deploying
    assert [d.code for d in report if d.severity == "error"] == ["NZ021"]
