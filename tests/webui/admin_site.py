"""The admin tests' site: the web tests' organisation (tests/webui/organisation.py) with an admin, passwords,
and the review bundle whose service task ``test.stamp`` fails as many times as a test asks."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask

from engine import directory, passwords, service_tasks
from engine.errors import HandlerError
from engine.platform import Platform
from tests.conftest import bundle
from tests.webui.demo_site import PASSWORD
from tests.webui.pages import Pages
from webui import create_app
from webui.i18n import compile_catalogs

ADMIN = "admin"
AUDITOR = "auditor"
FAILURE = "دفتر اندیکاتور در دسترس نیست"


class Site:
    """The admin's platform, a way to sign people in, and the number of failures ``test.stamp`` has left."""

    def __init__(self, platform: Platform, app: Flask) -> None:
        self.platform, self.app, self.failures = platform, app, 0

    def as_(self, name: str) -> Pages:
        signed_in = Pages(self.app.test_client())
        signed_in.sign_in(name)
        return signed_in

    def running(self) -> str:
        """An instance waiting at its first step."""
        return self.platform.start("review", {}, actor="ali").instance_id

    def failed(self) -> str:
        """An instance whose service task failed (status ``error``)."""
        self.failures = 1
        started = self.platform.start("review", {}, actor="ali")
        [task] = self.platform.tasks("ali", instance_id=started.instance_id)
        self.platform.complete(task["id"], {"amount": 1}, actor="ali")
        return started.instance_id

    def status(self, instance_id: str) -> str:
        status: str = self.platform.instance(instance_id)["status"]
        return status


def open_site(platform: Platform) -> Iterator[Site]:
    """For a test module's ``site`` fixture: ``yield from open_site(platform)``."""
    compile_catalogs()
    with platform.store.transaction() as tx:
        directory.add_user(tx, ADMIN, groups=["admin"], unit="gov", title="مدیر سامانه")
        directory.add_user(tx, AUDITOR, groups=["auditor"], unit="gov", title="حسابرس")
        for name in (ADMIN, AUDITOR, "ali", "mina"):
            passwords.set_password(tx, name, PASSWORD)
    built = Site(platform, create_app({"TESTING": True}, platform=platform))

    @service_tasks.handler("test.stamp")
    def stamp(ctx: service_tasks.HandlerContext) -> dict[str, object]:
        if built.failures:
            built.failures -= 1
            raise HandlerError(FAILURE)
        return {"letter_no": "L-1"}

    platform.deploy(bundle("review"), actor=ADMIN)
    yield built
    service_tasks.unregister("test.stamp")
