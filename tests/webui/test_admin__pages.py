"""The admin's directory pages: users (add, edit, password, deactivate), the unit tree, absences with
Jalali dates; and every admin route, GET and POST, refused (403) to a clerk and a manager, changing nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from engine.persian import TEHRAN
from engine.platform import Platform
from engine.store.models import Absence, Group, Membership, Unit, User
from tests.webui.admin_site import ADMIN, Site, open_site
from tests.webui.demo_site import PASSWORD

PAGES = [
    "/admin/users",
    "/admin/users/new",
    "/admin/users/ali",
    "/admin/groups",
    "/admin/units",
    "/admin/absences",
    "/admin/incidents",
]


@pytest.fixture
def site(platform: Platform) -> Iterator[Site]:
    yield from open_site(platform)


def counts(platform: Platform) -> tuple[int, ...]:
    with platform.store.reading() as tx:
        tables = (User, Membership, Group, Unit, Absence)
        return tuple(tx.scalar(select(func.count()).select_from(t)) or 0 for t in tables)


def test_the_admin_sees_every_page_and_the_admin_menu(site: Site) -> None:
    admin = site.as_(ADMIN)
    for path in PAGES:
        assert 'href="/admin/users"' in admin.html(path), path
    assert 'href="/admin/users"' not in site.as_("ali").html("/inbox")


@pytest.mark.parametrize("who", ["ali", "mina"])
def test_anyone_else_gets_403_on_every_route_and_nothing_changes(site: Site, who: str) -> None:
    instance_id = site.running()
    before = counts(site.platform)
    person = site.as_(who)
    for path in [*PAGES, f"/admin/instances/{instance_id}"]:
        assert person.get(path).status_code == 403, path
    posts = {
        "/admin/users": {"name": "intruder", "groups": "admin"},
        "/admin/users/mina/password": {"password": "a-new-password"},
        "/admin/users/mina/active": {"active": "0"},
        "/admin/units": {"name": "muni-x"},
        "/admin/groups": {"name": "clerk", "title": "نفوذی"},
        "/admin/absences": {"user": "mina", "delegate": "ali", "from": "1405/01/01", "to": "1405/01/02"},
        **{f"/admin/instances/{instance_id}/{a}": {} for a in ("suspend", "resume", "cancel", "retry")},
    }
    for path, data in posts.items():
        assert person.post(path, data).status_code == 403, path
    assert counts(site.platform) == before and site.status(instance_id) == "running"
    assert site.as_("mina").get("/inbox").status_code == 200  # her password and account are as they were


def test_a_form_without_its_csrf_token_is_refused_and_nothing_changes(site: Site) -> None:
    admin, before = site.as_(ADMIN), counts(site.platform)
    response = admin.client.post("/admin/units", data={"name": "muni-x"})
    assert response.status_code == 400
    assert admin.client.post("/admin/users/ali/active", data={"active": "0"}).status_code == 400
    assert counts(site.platform) == before and site.as_("ali").get("/inbox").status_code == 200


def test_the_admin_adds_edits_and_deactivates_a_user_who_then_cannot_sign_in(site: Site) -> None:
    admin = site.as_(ADMIN)
    form = {"name": "neda", "title": "کارشناس بودجه", "unit": "muni-a", "email": "neda@example.ir"}
    admin.post("/admin/users", {**form, "groups": "clerk, expert"})
    row = next(r for r in admin.html("/admin/users").split("<tr") if 'data-user="neda"' in r)
    assert "کارشناس بودجه" in row and "شهرداری الف" in row and "clerk, expert" in row
    admin.post("/admin/users", {**form, "groups": "manager"})
    assert "manager" in admin.html("/admin/users/neda") and "clerk" not in admin.html("/admin/users/neda")

    page = admin.post("/admin/users/neda/password", {"password": "short"}, follow_redirects=True)
    assert "رمز عبور باید دست‌کم" in page.get_data(as_text=True)
    admin.post("/admin/users/neda/password", {"password": PASSWORD})
    neda = site.as_("neda")
    assert neda.get("/inbox").status_code == 200

    admin.post("/admin/users/neda/active", {"active": "0"})
    assert neda.get("/inbox").status_code == 302  # the open session ends at the next request
    with site.platform.store.reading() as tx:
        assert tx.get(User, "neda").active is False  # type: ignore[union-attr]


def test_a_user_name_the_directory_refuses_is_said_and_not_stored(site: Site) -> None:
    admin, before = site.as_(ADMIN), counts(site.platform)
    page = admin.post("/admin/users", {"name": "نام فارسی!", "groups": "clerk"}, follow_redirects=True)
    assert "may hold only letters" in page.get_data(as_text=True) and counts(site.platform) == before


def test_the_admin_cannot_deactivate_themselves(site: Site) -> None:
    admin = site.as_(ADMIN)
    admin.post(f"/admin/users/{ADMIN}/active", {"active": "0"})
    assert admin.get("/admin/users").status_code == 200


def test_a_groups_title_is_what_the_pages_call_it(site: Site) -> None:
    admin, instance_id = site.as_(ADMIN), site.running()
    assert 'data-group="clerk"' in admin.html("/admin/groups")  # a group with members, not yet titled
    admin.post("/admin/groups", {"name": "clerk", "title": "کارمند دبیرخانه", "title_en": "Registry clerk"})
    row = next(r for r in admin.html("/admin/groups").split("<tr") if 'data-group="clerk"' in r)
    assert 'value="کارمند دبیرخانه"' in row and 'value="Registry clerk"' in row
    timeline = site.as_("ali").html(f"/instances/{instance_id}")
    assert 'title="clerk">کارمند دبیرخانه</span>' in timeline  # the task_ready event's candidate group
    before = counts(site.platform)
    page = admin.post("/admin/groups", {"name": "گروه نو"}, follow_redirects=True).get_data(as_text=True)
    assert "نام گروه فقط حرف" in page and counts(site.platform) == before


def test_a_new_unit_is_shown_under_its_parent(site: Site) -> None:
    admin = site.as_(ADMIN)
    admin.post("/admin/units", {"name": "muni-a-north", "title": "ناحیهٔ شمالی", "parent": "muni-a"})
    page = admin.html("/admin/units")
    order = [page.index(f'data-unit="{n}"') for n in ("gov", "muni-a", "muni-a-north")]
    assert order == sorted(order)
    assert 'data-unit="muni-a-north" style="padding-inline-start: 3.0em"' in page


def test_an_absence_is_read_in_jalali_days_the_last_day_included(site: Site) -> None:
    admin = site.as_(ADMIN)
    form = {"user": "mina", "delegate": "ali", "from": "۱۴۰۵/۰۱/۰۱", "to": "1405/01/10", "note": "مرخصی"}
    admin.post("/admin/absences", form)
    with site.platform.store.reading() as tx:
        [row] = tx.scalars(select(Absence)).all()
    start = dt.datetime(2026, 3, 21, tzinfo=TEHRAN)
    assert (row.user, row.delegate, row.note) == ("mina", "ali", "مرخصی")
    assert row.starts_at.replace(tzinfo=row.starts_at.tzinfo or dt.UTC) == start
    assert row.ends_at.replace(tzinfo=row.ends_at.tzinfo or dt.UTC) == start + dt.timedelta(days=10)
    assert 'data-user="mina"' in admin.html("/admin/absences")


def test_an_absence_with_a_wrong_date_is_said_and_not_stored(site: Site) -> None:
    admin = site.as_(ADMIN)
    form = {"user": "mina", "delegate": "ali", "from": "فردا", "to": "1405/01/10"}
    page = admin.post("/admin/absences", form, follow_redirects=True).get_data(as_text=True)
    assert "must be a Jalali date" in page and counts(site.platform)[-1] == 0  # no absence
