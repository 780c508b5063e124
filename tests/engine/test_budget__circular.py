"""The classification and the circular are data: loaded, checked against each other, changeable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.budget import circular, classification, structure
from engine.budget.demo import demo_budget
from engine.errors import InvalidInput, NotFound

SHIPPED = json.loads((circular.FOLDER / "1405.json").read_text(encoding="utf-8"))


def test_the_classification_has_seven_resource_chapters_and_the_economic_chapters_of_uses() -> None:
    classes = classification.load()
    assert sorted(classes.resource_chapters) == ["1", "2", "3", "4", "5", "6", "7"]
    assert sorted(classes.sections["current"].chapters) == ["1", "2", "3", "4", "5", "6", "7"]
    assert classes.use_chapter("current", "1").title.en == "Compensation of employees"  # type: ignore[union-attr]
    assert classes.use_chapter("capital", "6").title.fa == "طرح‌ها و پروژه‌های تملک دارایی‌های سرمایه‌ای"  # type: ignore[union-attr]
    assert classes.use_chapter("capital", "1") is None
    assert {k: t.fa for k, t in classes.kinds.items()} == {"activity": "فعالیت", "service": "خدمت"}


def test_circular_1405_caps_compensation_of_employees_at_30_percent_and_says_its_values_are_defaults() -> (
    None
):
    rules = circular.load(1405)
    assert rules.year == 1405
    [cap] = [limit for limit in rules.limits if (limit.section, limit.chapter) == ("current", "1")]
    assert cap.max_percent == 30
    assert [line.code for line in rules.mandatory_lines] == ["2301", "3601", "3602"]
    assert SHIPPED["about"]["defaults"] is True and "DEFAULT" in SHIPPED["about"]["en"]


def test_an_unknown_circular_is_not_found_with_a_hint() -> None:
    with pytest.raises(NotFound) as caught:
        circular.load("1450")
    assert caught.value.hint == "did you mean '1405'?"


@pytest.mark.parametrize("name", ["../budget_classification", "1405.json", ""])
def test_a_circular_name_cannot_reach_outside_its_folder(name: str) -> None:
    with pytest.raises(NotFound):
        circular.load(name)


def write(folder: Path, name: str, doc: dict[str, object]) -> None:
    (folder / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_an_administrator_tightening_a_limit_changes_the_verdict(tmp_path: Path) -> None:
    tighter = json.loads(json.dumps(SHIPPED))
    tighter["limits"][0]["max_percent"] = 20  # compensation of employees is 22.96 % in the demo
    write(tmp_path, "1405", tighter)
    problems = structure.check(demo_budget(), circular.load("1405", folder=tmp_path))
    assert [(p.code, p.path) for p in problems] == [("chapter_over_limit", "uses")]


@pytest.mark.parametrize(
    ("path", "value", "complaint"),
    [
        (("limits", 0, "chapter"), "9", "no chapter 9"),
        (("limits", 0, "max_percent"), 130, "from 0 to 100"),
        (("limits", 0, "side"), "both", "side must be"),
        (("mandatory_lines", 1, "section"), "financial", "no chapter 6 in section financial"),
        (("mandatory_lines", 1, "of"), "resources", "'of' must be"),
        (("year",), "1405", "year must be an integer"),
    ],
)
def test_a_broken_circular_is_refused_with_its_file_named(
    tmp_path: Path, path: tuple[object, ...], value: object, complaint: str
) -> None:
    broken = json.loads(json.dumps(SHIPPED))
    target = broken
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    write(tmp_path, "1405", broken)
    with pytest.raises(InvalidInput, match=complaint) as caught:
        circular.load("1405", folder=tmp_path)
    assert caught.value.file == str(tmp_path / "1405.json")
