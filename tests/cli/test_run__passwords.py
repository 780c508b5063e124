"""``init-db --demo`` gives demo users the documented password; ``users passwd`` sets a new one."""

from __future__ import annotations

import sqlite3

from engine import passwords
from engine.demo import DEMO_PASSWORD
from tests.cli.conftest import Cli


def stored(cli: Cli, user: str) -> str:
    with sqlite3.connect(cli.database) as db:
        return str(db.execute("select password_hash from users where name = ?", (user,)).fetchone()[0])


def test_demo_users_get_the_documented_password_and_users_passwd_replaces_it(cli: Cli) -> None:
    ran = cli("init-db", "--demo")
    assert f"'{DEMO_PASSWORD}'" in ran.out
    assert passwords.verify_password(stored(cli, "expert_1"), DEMO_PASSWORD)
    done = cli("users", "passwd", "expert_1", "--password-stdin", stdin="a brand new secret\n")
    assert "password of expert_1 set" in done.out
    assert passwords.verify_password(stored(cli, "expert_1"), "a brand new secret")
    cli("init-db", "--demo")  # loading the demo again keeps a password set since
    assert passwords.verify_password(stored(cli, "expert_1"), "a brand new secret")
    assert passwords.verify_password(stored(cli, "expert_2"), DEMO_PASSWORD)


def test_users_passwd_refuses_a_short_password_and_an_unknown_user(cli: Cli) -> None:
    cli("init-db", "--demo")
    short = cli("users", "passwd", "expert_1", "--password-stdin", stdin="short\n", expect=2)
    assert "۸" in short.err
    cli("users", "passwd", "nobody", "--password-stdin", stdin="long enough secret\n", expect=3)
