"""A user of one municipality can neither find, open, step through, draw nor verify another
municipality's case: every instance route answers 404, as for a case that does not exist. The mayor of
municipality A, doing the same, shows the routes work."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from engine.platform import Platform
from tests.webui.demo_site import Seeded
from tests.webui.pages import Pages

Demo = tuple[Platform, Seeded]
GETS = ["", "?at=1", "/diagram", "/diagram?at=2"]


@pytest.mark.parametrize("path", GETS)
def test_another_municipalitys_case_is_not_found_by_url(
    mayor: Callable[[str], Pages], demo: Demo, path: str
) -> None:
    case = demo[1].muni_a_instance
    response = mayor("mayor_b").get(f"/instances/{case}{path}")
    assert response.status_code == 404 and "پیدا نشد" in response.get_data(as_text=True)
    assert mayor("mayor_a").get(f"/instances/{case}{path}").status_code == 200


def test_another_municipalitys_case_cannot_be_verified(mayor: Callable[[str], Pages], demo: Demo) -> None:
    case = demo[1].muni_a_instance
    refused = mayor("mayor_b").post(f"/instances/{case}/verify", {"at": "1"})
    assert refused.status_code == 404 and 'id="verify-result"' not in refused.get_data(as_text=True)
    assert 'data-ok="yes"' in mayor("mayor_a").post(f"/instances/{case}/verify", {}).get_data(as_text=True)


def test_another_municipalitys_case_is_in_no_search(mayor: Callable[[str], Pages], demo: Demo) -> None:
    row = f'data-instance="{demo[1].muni_a_instance}"'
    b = mayor("mayor_b")
    for path in (
        "/instances",
        "/instances?process=audit_review",
        "/instances?key=حسابرسی",
        "/instances?unit=muni-a",
    ):
        assert row not in b.get(path).get_data(as_text=True)
    assert 'value="muni-a"' not in b.html("/instances")  # nor offered as a unit to narrow to
    assert row in mayor("mayor_a").html("/instances?unit=muni-a")


def test_a_governorate_expert_finds_the_municipalities_below(
    mayor: Callable[[str], Pages], demo: Demo
) -> None:
    assert f'data-instance="{demo[1].muni_a_instance}"' in mayor("expert_1").html("/instances")
