"""Signing in and out: hashed passwords, CSRF on every form, throttling per user and address, sessions
that end when the password changes, safe redirects, and the fa/en switch."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from engine import passwords
from engine.platform import Platform
from engine.store.models import User
from tests.webui.demo_site import Seeded
from tests.webui.pages import Pages

Demo = tuple[Platform, Seeded]


def test_a_demo_clerk_signs_in_and_lands_in_the_inbox(pages: Callable[[], Pages]) -> None:
    clerk = pages()
    response = clerk.sign_in("expert_1")
    assert response.status_code == 302 and response.headers["Location"] == "/inbox"
    html = clerk.html("/inbox")
    assert '<html lang="fa" dir="rtl">' in html and "کارشناس امور شهری" in html


def test_the_password_is_stored_only_as_a_salted_scrypt_hash(demo: Demo) -> None:
    with demo[0].store.reading() as tx:
        stored = tx.get(User, "expert_1").password_hash
    assert stored.startswith("scrypt$") and "nezarat-demo" not in stored
    assert passwords.verify_password(stored, "nezarat-demo")
    assert not passwords.verify_password(stored, "nezarat-demo ")


@pytest.mark.parametrize("user, password", [("expert_1", "wrong password"), ("nobody", "nezarat-demo")])
def test_a_wrong_name_or_password_gets_the_same_persian_answer(
    pages: Callable[[], Pages], user: str, password: str
) -> None:
    clerk = pages()
    response = clerk.sign_in(user, password)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "نام کاربری یا رمز عبور درست نیست." in html
    assert clerk.get("/inbox").status_code == 302  # still not signed in


def test_five_failures_block_that_name_from_that_address_for_fifteen_minutes(
    pages: Callable[[], Pages], demo: Demo
) -> None:
    clerk = pages()
    for _ in range(5):
        assert clerk.sign_in("expert_1", "wrong password").status_code == 200
    blocked = clerk.sign_in("expert_1")  # even the right password
    assert blocked.status_code == 429
    assert "ورودهای ناموفق بسیار بود؛ ۱۵ دقیقهٔ دیگر دوباره امتحان کنید." in blocked.get_data(as_text=True)
    elsewhere = pages()
    elsewhere.client.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert elsewhere.sign_in("expert_1").status_code == 302  # the same name from another address
    assert pages().sign_in("expert_2").status_code == 302  # another name from this address
    demo[0].clock.advance(minutes=15, seconds=1)
    assert clerk.sign_in("expert_1").status_code == 302


def test_a_success_forgives_earlier_failures(pages: Callable[[], Pages]) -> None:
    clerk = pages()
    for _ in range(4):
        clerk.sign_in("expert_1", "wrong password")
    assert clerk.sign_in("expert_1").status_code == 302
    for _ in range(4):
        assert clerk.sign_in("expert_1", "wrong password").status_code == 200
    assert clerk.sign_in("expert_1").status_code == 302


def test_a_post_without_the_csrf_token_is_refused(pages: Callable[[], Pages], demo: Demo) -> None:
    clerk = pages()
    clerk.sign_in("expert_1")
    task = demo[1].journey_task
    response = clerk.client.post(f"/tasks/{task}/claim")
    assert response.status_code == 400 and "csrf_failed" in response.get_data(as_text=True)
    anonymous = pages().client.post("/signin", data={"user_name": "expert_1", "password": "nezarat-demo"})
    assert anonymous.status_code == 400
    assert demo[0].tasks("expert_1", instance_id=demo[1].journey_instance)[0]["assignee"] is None


def test_signing_out_ends_the_session(pages: Callable[[], Pages]) -> None:
    clerk = pages()
    clerk.sign_in("expert_1")
    assert clerk.post("/signout").headers["Location"] == "/signin"
    assert clerk.get("/inbox").headers["Location"] == "/signin?next=/inbox"


def test_a_new_password_ends_the_sessions_signed_in_with_the_old_one(
    pages: Callable[[], Pages], demo: Demo
) -> None:
    clerk = pages()
    clerk.sign_in("expert_1")
    assert clerk.get("/inbox").status_code == 200
    with demo[0].store.transaction() as tx:
        passwords.set_password(tx, "expert_1", "another long secret")
    assert clerk.get("/inbox").status_code == 302
    assert clerk.sign_in("expert_1", "another long secret").status_code == 302


def test_an_inactive_user_cannot_sign_in_or_stay_signed_in(pages: Callable[[], Pages], demo: Demo) -> None:
    clerk = pages()
    clerk.sign_in("expert_1")
    with demo[0].store.transaction() as tx:
        tx.get(User, "expert_1").active = False
    assert clerk.get("/inbox").status_code == 302
    assert pages().sign_in("expert_1").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_sign_in_never_sends_the_browser_to_another_host(pages: Callable[[], Pages], target: str) -> None:
    response = pages().sign_in("expert_1", next=target)
    assert response.headers["Location"] == "/inbox"


def test_sign_in_returns_to_the_page_that_asked_for_it(pages: Callable[[], Pages]) -> None:
    assert pages().sign_in("expert_1", next="/inbox?tab=mine").headers["Location"] == "/inbox?tab=mine"


def test_the_language_switch_turns_the_pages_english_and_left_to_right(pages: Callable[[], Pages]) -> None:
    clerk = pages()
    clerk.sign_in("expert_1")
    assert clerk.post("/language", {"lang": "en", "next": "/inbox"}).headers["Location"] == "/inbox"
    html = clerk.html("/inbox")
    assert '<html lang="en" dir="ltr">' in html and "<h1>Inbox</h1>" in html and "My tasks" in html
    clerk.post("/language", {"lang": "fa"})
    assert '<html lang="fa" dir="rtl">' in clerk.html("/inbox")
