"""The admin's instance actions on the web: suspend, resume, cancel, retry and skipping an open task are
events in the history naming the admin; an action the state does not allow is said on the page and changes
nothing; incidents are listed with their step and message. The auditor's instance page offers the same
actions to an admin, and to nobody else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.platform import Platform
from tests.conftest import bundle
from tests.webui.admin_site import ADMIN, AUDITOR, FAILURE, Site, open_site


@pytest.fixture
def site(platform: Platform) -> Iterator[Site]:
    yield from open_site(platform)


def last(platform: Platform, instance_id: str) -> tuple[str, str | None]:
    event = platform.history(instance_id)[-1]
    return event["kind"], event["actor"]


def test_suspend_resume_and_cancel_are_history_events_naming_the_admin(site: Site) -> None:
    admin, instance_id = site.as_(ADMIN), site.running()
    page = admin.html(f"/admin/instances/{instance_id}")
    assert 'id="suspend-form"' in page and 'id="resume-form"' not in page

    admin.post(f"/admin/instances/{instance_id}/suspend", {"note": "تا بررسی حسابرس"})
    assert site.status(instance_id) == "suspended"
    event = site.platform.history(instance_id)[-1]
    assert (event["kind"], event["actor"], event["data"]["note"]) == ("suspended", ADMIN, "تا بررسی حسابرس")
    assert 'id="resume-form"' in admin.html(f"/admin/instances/{instance_id}")

    admin.post(f"/admin/instances/{instance_id}/resume", {})
    assert site.status(instance_id) == "running" and last(site.platform, instance_id) == ("resumed", ADMIN)

    assert 'name="note"' in admin.html(f"/admin/instances/{instance_id}").split('id="cancel-form"')[1]
    admin.post(f"/admin/instances/{instance_id}/cancel", {"note": "پرونده تکراری است"})
    assert site.status(instance_id) == "cancelled"
    cancelled = next(e for e in site.platform.history(instance_id) if e["kind"] == "cancelled")
    assert (cancelled["actor"], cancelled["data"]) == (ADMIN, {"note": "پرونده تکراری است"})
    assert site.platform.verify(instance_id).ok


def test_an_open_task_is_skipped_from_the_instance_page_with_the_admins_note(site: Site) -> None:
    admin, instance_id = site.as_(ADMIN), site.running()
    [draft] = site.platform.tasks("ali", instance_id=instance_id)
    page = admin.html(f"/admin/instances/{instance_id}")
    assert f'data-task="{draft["id"]}"' in page and f'id="skip-{draft["id"]}"' in page

    response = admin.post(
        f"/admin/instances/{instance_id}/tasks/{draft['id']}/skip", {"note": "کارمند منتقل شده است"}
    )

    assert response.headers["Location"].endswith(f"/admin/instances/{instance_id}")
    skipped = next(e for e in site.platform.history(instance_id) if e["kind"] == "skipped")
    assert (skipped["actor"], skipped["task_id"]) == (ADMIN, draft["id"])
    assert skipped["data"] == {"submitted": {}, "note": "کارمند منتقل شده است"}
    assert site.platform.tasks("ali", instance_id=instance_id) == []
    assert f'data-task="{draft["id"]}"' not in admin.html(f"/admin/instances/{instance_id}")
    timeline = admin.html(f"/instances/{instance_id}")
    assert "گذشتن از کار به دستور مدیر" in timeline and "کارمند منتقل شده است" in timeline


def test_an_instance_moves_to_another_version_from_its_admin_page(site: Site) -> None:
    admin, instance_id = site.as_(ADMIN), site.running()
    assert 'id="migrate-form"' not in admin.html(f"/admin/instances/{instance_id}")  # one version only
    for name in ("review_v2", "review_v3"):
        site.platform.deploy(bundle(name), actor=ADMIN)
    page = admin.html(f"/admin/instances/{instance_id}")
    form = page.split('id="migrate-form"')[1].split("</form>")[0]
    assert '<option value="2">۲</option>' in form and '<option value="3">۳</option>' in form

    admin.post(f"/admin/instances/{instance_id}/migrate", {"to_version": "2", "note": "آیین‌نامهٔ تازه"})

    migrated = site.platform.history(instance_id)[-1]
    assert (migrated["kind"], migrated["actor"]) == ("migrated", ADMIN)
    assert migrated["data"]["note"] == "آیین‌نامهٔ تازه" and migrated["data"]["to_version"] == 2
    assert "پرونده به نسخهٔ دیگر فرایند منتقل شد." in admin.html(f"/admin/instances/{instance_id}")


def test_a_migration_the_target_cannot_take_is_said_and_changes_nothing(site: Site) -> None:
    admin, instance_id = site.as_(ADMIN), site.running()
    [draft] = site.platform.tasks("ali", instance_id=instance_id)
    site.platform.complete(draft["id"], {"amount": 5000}, actor="ali")  # now at the manager's approval
    for name in ("review_v2", "review_v3"):
        site.platform.deploy(bundle(name), actor=ADMIN)
    before = site.platform.history(instance_id)

    answer = admin.post(f"/admin/instances/{instance_id}/migrate", {"to_version": "3"}, follow_redirects=True)

    assert "approve" in answer.get_data(as_text=True)  # version 3 has no approval step
    assert site.platform.history(instance_id) == before
    assert (
        site.as_("mina").post(f"/admin/instances/{instance_id}/migrate", {"to_version": "2"}).status_code
        == 403
    )
    assert site.platform.history(instance_id) == before


def test_a_suspended_instance_offers_no_skip(site: Site) -> None:
    admin, instance_id = site.as_(ADMIN), site.running()
    [draft] = site.platform.tasks("ali", instance_id=instance_id)
    site.platform.suspend(instance_id, actor=ADMIN)
    page = admin.html(f"/admin/instances/{instance_id}")
    assert f'data-task="{draft["id"]}"' in page and f'id="skip-{draft["id"]}"' not in page
    response = admin.post(
        f"/admin/instances/{instance_id}/tasks/{draft['id']}/skip", {}, follow_redirects=True
    )
    assert "این کار در وضع کنونی پرونده ممکن نیست" in response.get_data(as_text=True)
    assert "skipped" not in [e["kind"] for e in site.platform.history(instance_id)]


def test_an_action_the_state_does_not_allow_is_said_and_changes_nothing(site: Site) -> None:
    admin, instance_id = site.as_(ADMIN), site.running()
    before = site.platform.history(instance_id)
    response = admin.post(f"/admin/instances/{instance_id}/resume", {}, follow_redirects=True)
    assert response.status_code == 200
    assert "این کار در وضع کنونی پرونده ممکن نیست" in response.get_data(as_text=True)
    admin.post(f"/admin/instances/{instance_id}/retry", {})
    assert site.status(instance_id) == "running" and site.platform.history(instance_id) == before


def test_an_incident_is_listed_with_its_step_and_message_and_a_retry_clears_it(site: Site) -> None:
    admin, instance_id = site.as_(ADMIN), site.failed()
    assert site.status(instance_id) == "error"
    page = admin.html("/admin/incidents")
    row = page[page.index(f'data-instance="{instance_id}"') :].split("</tr>")[0]
    assert FAILURE in row and ">stamp<" in row

    response = admin.post(f"/admin/instances/{instance_id}/retry", {"back": "incidents"})
    assert response.headers["Location"].endswith("/admin/incidents")
    assert site.status(instance_id) == "completed"
    assert ("retried", ADMIN) in [(e["kind"], e["actor"]) for e in site.platform.history(instance_id)]
    assert f'data-instance="{instance_id}"' not in admin.html("/admin/incidents")


def test_a_failed_instance_can_be_suspended_and_resumes_into_its_incident(site: Site) -> None:
    admin, instance_id = site.as_(ADMIN), site.failed()
    admin.post(f"/admin/instances/{instance_id}/suspend", {})
    assert site.status(instance_id) == "suspended"
    admin.post(f"/admin/instances/{instance_id}/resume", {})
    assert site.status(instance_id) == "error"
    assert 'id="incident"' in admin.html(f"/admin/instances/{instance_id}")


def test_an_instance_action_without_its_csrf_token_is_refused(site: Site) -> None:
    admin, instance_id = site.as_(ADMIN), site.running()
    assert admin.client.post(f"/admin/instances/{instance_id}/suspend").status_code == 400
    assert admin.client.post(f"/admin/instances/{instance_id}/cancel").status_code == 400
    assert site.status(instance_id) == "running"


def action_forms(html: str) -> list[str]:
    return [a for a in ("suspend", "resume", "cancel", "retry") if f'id="{a}-form"' in html]


def test_an_admin_acts_from_the_instance_page_and_comes_back_to_it(site: Site) -> None:
    admin, instance_id = site.as_(ADMIN), site.running()
    page = f"/instances/{instance_id}"
    assert action_forms(admin.html(page)) == ["suspend", "cancel"]

    response = admin.post(
        f"/admin/instances/{instance_id}/suspend", {"note": "تا پاسخ شهرداری", "back": "instance"}
    )
    assert response.headers["Location"].endswith(page)
    event = site.platform.history(instance_id)[-1]
    assert (event["kind"], event["actor"], event["data"]["note"]) == ("suspended", ADMIN, "تا پاسخ شهرداری")
    shown = admin.html(page)
    assert action_forms(shown) == ["resume", "cancel"] and "تا پاسخ شهرداری" in shown  # the timeline's note

    admin.post(f"/admin/instances/{instance_id}/resume", {"note": "", "back": "instance"})
    admin.post(f"/admin/instances/{instance_id}/cancel", {"note": "تکراری", "back": "instance"})
    assert site.status(instance_id) == "cancelled" and action_forms(admin.html(page)) == []
    kinds = [(e["kind"], e["actor"]) for e in site.platform.history(instance_id)]
    assert ("resumed", ADMIN) in kinds and ("cancelled", ADMIN) in kinds


def test_a_failed_instance_offers_retry_on_the_instance_page(site: Site) -> None:
    admin, instance_id = site.as_(ADMIN), site.failed()
    assert action_forms(admin.html(f"/instances/{instance_id}")) == ["suspend", "cancel", "retry"]
    admin.post(f"/admin/instances/{instance_id}/retry", {"note": "", "back": "instance"})
    assert site.status(instance_id) == "completed"


@pytest.mark.parametrize("who", [AUDITOR, "ali"])  # the auditor sees every instance; ali started this one
def test_no_one_else_sees_the_actions_and_their_posts_are_forbidden(site: Site, who: str) -> None:
    signed_in, instance_id = site.as_(who), site.running()
    page = signed_in.html(f"/instances/{instance_id}")
    assert action_forms(page) == [] and 'id="admin-actions"' not in page
    before = site.platform.history(instance_id)
    for action in ("suspend", "cancel", "retry", "resume"):
        response = signed_in.post(
            f"/admin/instances/{instance_id}/{action}", {"note": "x", "back": "instance"}
        )
        assert response.status_code == 403
    assert site.status(instance_id) == "running" and site.platform.history(instance_id) == before
