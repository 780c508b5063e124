"""The instance pages on the demo site: the search with its filters and paging, the page of one case at
an earlier event (``?at=``, no JavaScript), its diagram's marks, and the verify button naming the first
broken event after a row is changed behind the engine's back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import update

from engine.platform import Platform
from engine.store.models import HistoryEvent
from tests.webui.demo_site import JOURNEY_KEY, Seeded
from tests.webui.pages import Pages

Demo = tuple[Platform, Seeded]
CIRCULAR = {"fiscal_year": 1405, "circular": "1405", "municipalities": [{"unit": "muni-a"}]}


@pytest.fixture
def auditor(pages: Callable[[], Pages]) -> Pages:
    signed_in = pages()
    signed_in.sign_in("auditor_1")
    return signed_in


@pytest.fixture
def circulated(demo: Demo) -> int:
    """The journey case's circular completed by expert_1; the sequence number of that completion."""
    platform, seeded = demo
    platform.claim(seeded.journey_task, actor="expert_1")
    platform.complete(seeded.journey_task, CIRCULAR, actor="expert_1")
    return next(e["seq"] for e in platform.history(seeded.journey_instance) if e["kind"] == "completed")


def rows(html: str) -> int:
    return html.count("data-instance=")


def test_the_search_filters_by_process_status_key_and_jalali_days(auditor: Pages, demo: Demo) -> None:
    assert rows(auditor.html("/instances")) == 6
    assert rows(auditor.html("/instances?process=audit_review")) == 1
    assert rows(auditor.html("/instances?key=۱۴۰۶")) == 1 and JOURNEY_KEY in auditor.html(
        "/instances?key=۱۴۰۶"
    )
    assert rows(auditor.html("/instances?status=completed")) == 0
    assert rows(auditor.html("/instances?from=۱۴۰۴/۱۲/۱۰&to=۱۴۰۴/۱۲/۱۰")) == 2  # started on the demo's today
    assert rows(auditor.html("/instances?unit=muni-a")) == 1  # the mayor's audit request
    page = auditor.html("/instances")
    assert "۱۴۰۴/۱۲/۱۰" in page and 'dir="rtl"' in page


def test_a_date_that_is_not_a_date_is_said_on_the_page(auditor: Pages, demo: Demo) -> None:
    page = auditor.html("/instances?from=دیروز")
    assert 'id="search-problem"' in page and rows(page) == 0


def test_the_page_of_an_earlier_event_shows_the_data_of_then(
    auditor: Pages, demo: Demo, circulated: int
) -> None:
    case = demo[1].journey_instance
    latest = auditor.html(f"/instances/{case}")
    earlier = auditor.html(f"/instances/{case}?at={circulated - 1}")
    assert 'data-key="fiscal_year"' in latest and "۱۴۰۵" in latest
    assert 'data-key="fiscal_year"' not in earlier
    assert f'data-seq="{circulated - 1}" aria-current="step"' in earlier
    assert f"?at={circulated - 2}" in earlier and f"?at={circulated}" in earlier  # previous and next links
    assert "انجام" in latest and "ابلاغ بخشنامه" in latest  # the timeline's kind and step, in Persian


def test_the_diagram_data_marks_what_was_done_and_active_at_the_event(
    auditor: Pages, demo: Demo, circulated: int
) -> None:
    case = demo[1].journey_instance
    before = auditor.get(f"/instances/{case}/diagram?at={circulated - 1}").json
    after = auditor.get(f"/instances/{case}/diagram?at={circulated}").json
    assert before["active"] == ["circular"] and "circular" not in before["done"]
    assert "circular" in after["done"] and "<bpmn:definitions" in after["xml"]


def test_an_event_the_history_does_not_have_is_not_found(auditor: Pages, demo: Demo) -> None:
    assert auditor.get(f"/instances/{demo[1].journey_instance}?at=999").status_code == 404


def test_verify_says_the_chain_holds_then_names_the_changed_event(auditor: Pages, demo: Demo) -> None:
    platform, seeded = demo
    case = seeded.journey_instance
    ok = auditor.post(f"/instances/{case}/verify", {"at": "1"}).get_data(as_text=True)
    assert 'data-ok="yes"' in ok and 'data-seq="1" aria-current="step"' in ok
    with platform.store.transaction() as tx:
        tx.execute(
            update(HistoryEvent)
            .where(HistoryEvent.instance_id == case, HistoryEvent.seq == 2)
            .values(actor="someone_else")
        )
    broken = auditor.post(f"/instances/{case}/verify", {}).get_data(as_text=True)
    assert 'data-ok="no"' in broken and "#۲" in broken and f"/instances/{case}?at=2" in broken


def test_verify_without_the_forms_token_is_refused(auditor: Pages, demo: Demo) -> None:
    response = auditor.client.post(f"/instances/{demo[1].journey_instance}/verify", data={})
    assert response.status_code == 400


def test_the_pages_need_a_signed_in_person(pages: Callable[[], Pages], demo: Demo) -> None:
    for path in ("/instances", f"/instances/{demo[1].journey_instance}", "/dashboards"):
        response = pages().get(path)
        assert response.status_code == 302 and "/signin" in response.headers["Location"]
