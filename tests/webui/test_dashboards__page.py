"""The dashboards: the KPI report as SVG bar charts beside tables of the same numbers, in Persian
digits, scoped as the KPI API: one's own unit and below; another municipality's numbers are refused."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from engine.platform import Platform
from tests.webui.demo_site import Seeded
from tests.webui.pages import Pages
from webui.dashboards.charts import bar_chart, number

Demo = tuple[Platform, Seeded]


@pytest.fixture
def person(pages: Callable[[], Pages]) -> Callable[[str], Pages]:
    def signed_in(name: str) -> Pages:
        clerk = pages()
        clerk.sign_in(name)
        return clerk

    return signed_in


def test_the_governorate_sees_each_units_numbers_charted_and_tabled(
    person: Callable[[str], Pages], demo: Demo
) -> None:
    platform = demo[0]
    report = platform.kpis(actor="dg_urban")
    page = person("dg_urban").html("/dashboards")
    assert page.count('<g class="bar') >= 2 * len(report["tasks"]["by_unit"])
    row = re.search(r'<tr data-unit="gov-ostan">(.*?)</tr>', page, re.S)
    assert row is not None
    gov = next(u for u in report["tasks"]["by_unit"] if u["unit"] == "gov-ostan")
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    assert cells[5] == str(gov["open"]).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert "۱۴۰۴/۰۱/۰۱" in page  # the fiscal year's period, Jalali in Persian digits


def test_a_mayor_sees_only_their_municipality(person: Callable[[str], Pages], demo: Demo) -> None:
    page = person("mayor_b").html("/dashboards")
    assert 'data-unit="muni-a"' not in page and 'value="muni-a"' not in page


def test_another_municipalitys_numbers_are_refused(person: Callable[[str], Pages], demo: Demo) -> None:
    assert person("mayor_b").get("/dashboards?unit=muni-a").status_code == 403
    assert person("mayor_a").get("/dashboards?unit=muni-a").status_code == 200


def test_a_period_that_is_not_a_date_is_said_on_the_page(person: Callable[[str], Pages], demo: Demo) -> None:
    page = person("dg_urban").html("/dashboards?from=فردا")
    assert 'id="kpi-problem"' in page and '<g class="bar' not in page


def test_bars_grow_from_the_labels_side_and_write_persian_numbers() -> None:
    rtl = bar_chart([("الف", 50.0), ("ب", None)], lang="fa", maximum=100, percent=True)
    ltr = bar_chart([("A", 50.0)], lang="en", maximum=100, percent=True)
    full = rtl.width - 230 - 70
    assert rtl.bars[0].width == ltr.bars[0].width == full / 2
    assert rtl.bars[0].x + rtl.bars[0].width == rtl.width - 230  # ends at the labels, on the right
    assert ltr.bars[0].x == 230
    assert (rtl.bars[0].text, rtl.bars[1].text, rtl.bars[1].empty) == ("۵۰٪", "—", True)
    assert number(83.33, lang="fa", percent=True) == "۸۳٫۳٪" and number(1250, lang="en") == "1,250"
