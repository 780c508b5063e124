"""The inbox: tabs, filters, Persian text search, sorting, paging, SLA colours, bulk claim and refer,
saved filters and the CSV export."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest

from engine.platform import Platform
from tests.webui.demo_site import JOURNEY_KEY, Seeded, task_of
from tests.webui.pages import Pages

Demo = tuple[Platform, Seeded]


def listed(html: str) -> list[str]:
    """Task ids of the inbox rows, in order."""
    return re.findall(r'<tr class="[^"]*" data-task="([^"]+)"', html)


def keys_of(platform: Platform, user: str) -> dict[str, str]:
    """Task id → business key of what ``user`` sees."""
    found = {}
    for task in platform.tasks(user):
        with platform.store.reading() as tx:
            from engine.store.models import Instance

            found[task["id"]] = tx.get(Instance, task["instance_id"]).business_key
    return found


@pytest.fixture
def expert(pages: Callable[[], Pages]) -> Pages:
    clerk = pages()
    clerk.sign_in("expert_1")
    return clerk


def test_the_tabs_split_the_visible_tasks_and_count_them(expert: Pages, demo: Demo) -> None:
    platform, _ = demo
    everything = platform.tasks("expert_1")
    html = expert.html("/inbox")
    assert sorted(listed(html)) == sorted(t["id"] for t in everything) and len(everything) == 5
    counts = dict(re.findall(r'class="tab tab-(\w+)">\s*[^<]*<span class="count">([^<]*)</span>', html))
    assert counts == {"all": "۵", "mine": "۲", "pool": "۳", "referred": "۱", "overdue": "۱"}
    mine = listed(expert.html("/inbox?tab=mine"))
    assert sorted(mine) == sorted(t["id"] for t in everything if t["assignee"] == "expert_1")
    referred = listed(expert.html("/inbox?tab=referred"))
    assert [t["referred_by"] for t in everything if t["id"] in referred] == ["expert_2"]
    overdue = listed(expert.html("/inbox?tab=overdue"))
    assert [t["sla"]["level"] for t in everything if t["id"] in overdue] == ["overdue"]


def test_each_row_shows_its_sla_state_at_a_glance(expert: Pages) -> None:
    html = expert.html("/inbox?sort=due")
    assert re.search(r'<tr class="row-overdue".*?sla-overdue[^>]*>۴ روز کاری دیرکرد</span>', html, re.S)
    assert '<span class="sla sla-soon"' in html and "۱ روز کاری مانده" in html
    assert '<span class="sla sla-ok"' in html


def test_a_pool_task_names_its_group_by_title_in_the_pages_language(expert: Pages) -> None:
    pool = expert.html("/inbox?tab=pool")
    assert "گروه: کارشناس امور شهری" in pool and "urban_affairs_expert" not in pool
    expert.post("/language", {"lang": "en"})
    assert "Group: Urban affairs expert" in expert.html("/inbox?tab=pool")


def test_search_normalises_arabic_letters_and_matches_case_keys(expert: Pages, demo: Demo) -> None:
    keys = keys_of(demo[0], "expert_1")
    # «متمم» typed with an Arabic yeh-free spelling still matches; «بودجهٔ ۱۴۰۵» written with Arabic kaf/yeh
    found = listed(expert.html("/inbox", query_string={"q": "بخشنامهٔ متمم"}))
    assert [keys[t] for t in found] == ["بخشنامهٔ متمم ۱۴۰۵"]
    arabic = listed(expert.html("/inbox", query_string={"q": "شهرستان نمونه".replace("ی", "ي")}))
    assert [keys[t] for t in arabic] == [JOURNEY_KEY]
    by_process = listed(expert.html("/inbox", query_string={"q": "نظارت بر بودجه"}))
    assert len(by_process) == 5
    assert listed(expert.html("/inbox", query_string={"q": "100%_"})) == []


def test_filters_by_process_unit_due_and_priority(expert: Pages, demo: Demo) -> None:
    assert len(listed(expert.html("/inbox?process=budget_oversight"))) == 5
    assert listed(expert.html("/inbox?process=audit_review")) == []
    assert len(listed(expert.html("/inbox?unit=gov-ostan"))) == 5
    assert listed(expert.html("/inbox?unit=muni-a")) == []
    assert len(listed(expert.html("/inbox?due=overdue"))) == 1
    demo[0].clock.advance(days=1)  # the due-soon task (2026-03-08) is now within a week
    assert len(listed(expert.html("/inbox?due=today"))) == 1
    assert len(listed(expert.html("/inbox?due=week"))) == 2  # the overdue one and the one due in a week
    assert len(listed(expert.html("/inbox?priority=normal"))) == 5
    assert listed(expert.html("/inbox?priority=high")) == []
    assert "هیچ کاری با این فیلترها نیست." in expert.html("/inbox?priority=high")


def test_sorting_and_paging(expert: Pages, demo: Demo) -> None:
    tasks = demo[0].tasks("expert_1")
    by_due = [t["id"] for t in sorted(tasks, key=lambda t: (t["due_at"], t["id"]))]
    latest_first = sorted(tasks, key=lambda t: t["id"])
    latest_first.sort(key=lambda t: t["due_at"], reverse=True)  # stable: ties stay in id order
    assert listed(expert.html("/inbox?sort=due")) == by_due
    assert listed(expert.html("/inbox?sort=-due")) == [t["id"] for t in latest_first]
    first = listed(expert.html("/inbox?sort=due&size=25&page=1"))
    assert first == by_due
    past_the_end = expert.html("/inbox?sort=due&page=2")
    assert listed(past_the_end) == [] and '<a href="/inbox?sort=due" id="first-page">' in past_the_end
    assert listed(expert.html("/inbox?sort=bogus&tab=bogus&size=7")) == listed(expert.html("/inbox"))


def test_bulk_claim_claims_each_selected_task_as_the_clerk(expert: Pages, demo: Demo) -> None:
    pool = [t["id"] for t in demo[0].tasks("expert_1") if t["assignee"] is None]
    response = expert.post("/inbox/claim", [("task", t) for t in pool] + [("back", "/inbox?tab=mine")])
    assert response.headers["Location"] == "/inbox?tab=mine"
    assert all(t["assignee"] == "expert_1" for t in demo[0].tasks("expert_1"))
    assert "کار برداشته شد: ۳ مورد." in expert.html("/inbox")


def test_bulk_claim_reports_what_it_could_not_do(expert: Pages, demo: Demo) -> None:
    platform, seeded = demo
    platform.claim(seeded.journey_task, actor="expert_2")
    expert.post("/inbox/claim", [("task", seeded.journey_task)])
    html = expert.html("/inbox")
    assert "flash error" in html and seeded.journey_task[:8] in html
    assert expert.post("/inbox/claim", []).status_code == 302
    assert "هیچ کاری برگزیده نشده است." in expert.html("/inbox")


def test_bulk_refer_hands_the_selected_tasks_to_a_colleague_with_a_note(expert: Pages, demo: Demo) -> None:
    mine = [t["id"] for t in demo[0].tasks("expert_1") if t["assignee"] == "expert_1"]
    expert.post(
        "/inbox/refer", [("task", t) for t in mine] + [("to_user", "expert_2"), ("note", "مرخصی هستم")]
    )
    theirs = {t["id"]: t for t in demo[0].tasks("expert_2")}
    assert all(theirs[t]["assignee"] == "expert_2" for t in mine)
    assert all(theirs[t]["referrals"][-1]["note"] == "مرخصی هستم" for t in mine)


def test_saved_filters_belong_to_their_user(expert: Pages, pages: Callable[[], Pages]) -> None:
    response = expert.post(
        "/inbox/filters", {"name": "دیرکردها", "tab": "overdue", "sort": "due", "page": "3"}
    )
    assert response.headers["Location"] == "/inbox?tab=overdue&sort=due"
    html = expert.html("/inbox")
    assert '<a href="/inbox?tab=overdue&amp;sort=due">دیرکردها</a>' in html
    filter_id = re.search(r"/inbox/filters/(\d+)/delete", html).group(1)
    colleague = pages()
    colleague.sign_in("expert_2")
    assert "دیرکردها" not in colleague.html("/inbox")
    colleague.post(f"/inbox/filters/{filter_id}/delete")
    assert "دیرکردها" in expert.html("/inbox")
    expert.post(f"/inbox/filters/{filter_id}/delete")
    assert "دیرکردها" not in expert.html("/inbox")


def test_the_csv_export_opens_in_a_spreadsheet_with_persian_text(expert: Pages, demo: Demo) -> None:
    response = expert.get("/inbox/export.csv?sort=due")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # the BOM that makes Excel read UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["شناسهٔ کار", "کار", "فرایند"]
    assert len(rows) == 6 and {r[1] for r in rows[1:]} == {"ابلاغ بخشنامه و تعیین شهرداری‌ها"}
    overdue = rows[1]
    assert overdue[6] == "۱۴۰۴/۱۲/۰۴" and overdue[8] == "-4" and overdue[9] == "overdue"
    assert listed(expert.html("/inbox?sort=due"))[0] == overdue[0]


def test_the_csv_export_defuses_spreadsheet_formulas(demo: Demo, pages: Callable[[], Pages]) -> None:
    platform, _ = demo
    started = platform.start("budget_oversight", {}, actor="expert_2", business_key='=HYPERLINK("x")')
    clerk = pages()
    clerk.sign_in("expert_1")
    text = clerk.get("/inbox/export.csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in text and task_of(platform, "expert_1", started.instance_id) in text
