"""The instance search's filters: process, unit and the units under it, status, Jalali start days (the
last one included) and part of the business key; paging counts every match."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.clock import FixedClock
from engine.errors import InvalidInput, NotFound
from engine.instance_search import Criteria
from engine.platform import Platform
from tests.conftest import bundle


@pytest.fixture
def cases(platform: Platform, clock: FixedClock) -> dict[str, str]:
    """Three review cases started on 1404/12/08, 12/09 and 12/10 (Tehran), one cancelled."""
    platform.deploy(bundle("review"))
    start, ids = clock.now(), {}
    for days, who, key in (
        (-2, "ali", "نامهٔ ۱۲۳ الف"),
        (-1, "bahram", "نامهٔ ۴۵۶ ب"),
        (0, "ali", "گزارش 50%"),
    ):
        clock.set(start + dt.timedelta(days=days))
        ids[key] = platform.start("review", {}, actor=who, business_key=key).instance_id
    platform.cancel(ids["نامهٔ ۱۲۳ الف"], actor="ali")
    return ids


def keys(platform: Platform, **criteria: object) -> list[str]:
    found = platform.search_instances(Criteria(**criteria), actor=None)  # type: ignore[arg-type]
    return [i["business_key"] for i in found["instances"]]


def test_each_filter_narrows_the_newest_first_list(platform: Platform, cases: dict[str, str]) -> None:
    assert keys(platform) == ["گزارش 50%", "نامهٔ ۴۵۶ ب", "نامهٔ ۱۲۳ الف"]
    assert keys(platform, status="cancelled") == ["نامهٔ ۱۲۳ الف"]
    assert keys(platform, unit="muni-b") == ["نامهٔ ۴۵۶ ب"]
    assert keys(platform, unit="gov") == keys(platform)  # the governorate's units are below it
    assert keys(platform, business_key="نامهٔ") == ["نامهٔ ۴۵۶ ب", "نامهٔ ۱۲۳ الف"]
    assert keys(platform, business_key="50%") == ["گزارش 50%"]  # % is a character, not a wildcard
    assert keys(platform, business_key="0%") == ["گزارش 50%"]
    assert keys(platform, process_key="other") == []


def test_start_days_are_jalali_and_the_last_day_is_included(
    platform: Platform, cases: dict[str, str]
) -> None:
    assert keys(platform, started_from="۱۴۰۴/۱۲/۰۹", started_to="1404/12/09") == ["نامهٔ ۴۵۶ ب"]
    assert keys(platform, started_to="1404/12/09") == ["نامهٔ ۴۵۶ ب", "نامهٔ ۱۲۳ الف"]
    assert keys(platform, started_from="2026-03-01") == ["گزارش 50%"]


def test_paging_keeps_the_count_of_every_match(platform: Platform, cases: dict[str, str]) -> None:
    second = platform.search_instances(Criteria(page=2, size=2), actor=None)
    assert second["total"] == 3 and [i["business_key"] for i in second["instances"]] == ["نامهٔ ۱۲۳ الف"]


@pytest.mark.parametrize(
    ("criteria", "error"),
    [
        ({"started_from": "yesterday"}, InvalidInput),
        ({"status": "lost"}, InvalidInput),
        ({"size": 1000}, InvalidInput),
        ({"unit": "muni-z"}, NotFound),
    ],
)
def test_a_filter_that_means_nothing_is_refused(
    platform: Platform, cases: dict[str, str], criteria: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        platform.search_instances(Criteria(**criteria), actor=None)  # type: ignore[arg-type]
