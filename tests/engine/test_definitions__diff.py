"""The version diff: elements added, removed and changed (attributes and extension properties), read
with the engine's hardened XML loading; layout alone is no change."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.definitions.diff import Change, diff
from engine.errors import DefinitionError

BUNDLE = Path(__file__).resolve().parents[2] / "processes" / "budget_oversight" / "process.bpmn"


@pytest.fixture(scope="module")
def before() -> str:
    return BUNDLE.read_text(encoding="utf-8")


def test_the_same_file_has_no_difference(before: str) -> None:
    assert diff(before.encode(), before.encode()).empty


def test_a_changed_group_and_sla_property_are_named_with_their_old_and_new_values(before: str) -> None:
    after = before.replace(
        'id="circular" name="ابلاغ بخشنامه و تعیین شهرداری‌ها" camunda:candidateGroups="urban_affairs_expert"',
        'id="circular" name="ابلاغ بخشنامه و تعیین شهرداری‌ها" camunda:candidateGroups="urban_affairs_dg"',
    ).replace('<camunda:property name="sla" value="P5D" />', '<camunda:property name="sla" value="P7D" />', 1)
    found = diff(before.encode(), after.encode())
    assert [c.element.id for c in found.changed] == ["circular"]
    assert found.changed[0].element.kind == "userTask"
    assert found.changed[0].changes == [
        Change("camunda:candidateGroups", "urban_affairs_expert", "urban_affairs_dg"),
        Change("property sla", "P5D", "P7D"),
    ]
    assert found.added == [] and found.removed == []


def test_a_removed_task_and_an_added_one_are_listed_with_their_kind_and_name(before: str) -> None:
    after = before.replace('id="circular" name="ابلاغ بخشنامه', 'id="circular_v2" name="ابلاغ بخشنامه')
    found = diff(before.encode(), after.encode())
    assert [(e.id, e.kind) for e in found.added] == [("circular_v2", "userTask")]
    assert [e.id for e in found.removed] == ["circular"]
    assert found.added[0].name == "ابلاغ بخشنامه و تعیین شهرداری‌ها"


def test_moving_a_shape_is_not_a_change_of_the_process(before: str) -> None:
    start = before.index('bpmnElement="circular"')
    bounds = before.index('x="', start)
    after = before[:bounds] + 'x="9' + before[bounds + 3 :]
    assert after != before
    assert diff(before.encode(), after.encode()).empty


def test_a_doctype_is_refused_as_the_engine_refuses_it_at_deploy(before: str) -> None:
    hostile = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + before.split("?>", 1)[1]
    with pytest.raises(DefinitionError) as refused:
        diff(before.encode(), hostile.encode())
    assert refused.value.message.startswith("NZ002")
