"""Scenario fixtures: the process library on a Platform built exactly as ``run.py`` builds it.

Real services throughout: SQLite, the demo organisation, mail through a real SMTP server (aiosmtpd,
the fixture of tests/handlers/conftest.py), and the attachment store and form validator of
handlers/wiring.py. Every scenario runs twice: with the instance kept in memory between steps
(``cached``), and ``reloaded`` — the cache is off, so every step loads the instance from the database
and saves it back.

A bundle the engine refuses at deploy fails its own scenarios with the refusal (see ``Library.start``)
and leaves the other bundles' scenarios running.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import handlers  # noqa: F401  (importing it registers every service-task handler, as run.py does)
from engine import demo
from engine.clock import FixedClock
from engine.commit import Result
from engine.directory import Person
from engine.errors import DefinitionError
from engine.platform import Platform
from engine.replay import Replayer
from engine.settings import from_env
from handlers import signing, wiring
from signatures.demo import DEMO_PASSWORD, issue_demo_credentials
from tests.handlers.conftest import Received, SmtpServer, smtp_server  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ROOT / "processes"
TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


def tehran(text: str) -> dt.datetime:
    """``'2026-03-10 09:00'`` as an instant of Tehran's wall clock (no daylight saving since 2022)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TEHRAN)


@dataclasses.dataclass
class Library:
    """The deployed library, its clock, the mail that reached the SMTP server, and refused bundles."""

    platform: Platform
    clock: FixedClock
    smtp: SmtpServer
    refused: dict[str, DefinitionError]
    pki: Path

    def signature(self, task: dict[str, Any], data: dict[str, Any], user: str) -> bytes:
        """What the user's "sign" button does: the approval of this completion, signed with their key."""
        approval = self.platform.approval(str(task["id"]), data, actor=user)
        store = self.platform.runtime.services["attachments"]
        key = self.pki / "users" / f"{user}.p12"
        return signing.sign_with_pkcs12(approval, store, key, DEMO_PASSWORD, self.clock)

    def start(self, key: str, starter: str, data: dict[str, Any] | None = None) -> Case:
        if key in self.refused:  # every bundle is named for its main process
            pytest.fail(f"the bundle {key} was refused at deploy: {self.refused[key]}")
        started = self.platform.start(key, data or {}, actor=starter)
        return Case(self, started.instance_id)

    def upload(self, name: str = "document.pdf") -> str:
        """Store a small PDF in the attachment store, as the web's upload does; return its ref."""
        store = self.platform.runtime.services["attachments"]
        content = b"%PDF-1.4\n% " + name.encode() + b"\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
        return str(store.put(content, filename=name, content_type="application/pdf"))

    @property
    def mail(self) -> list[Received]:
        return self.smtp.messages

    def mail_to(self, address: str) -> list[Received]:
        return [m for m in self.smtp.messages if address in m.rcpt_tos]


@dataclasses.dataclass
class Case:
    """One instance, driven as its users drive it: through their inboxes."""

    library: Library
    id: str

    @property
    def platform(self) -> Platform:
        return self.library.platform

    def tasks(self, user: str) -> list[dict[str, Any]]:
        return self.platform.tasks(user, instance_id=self.id)

    def open(self, user: str) -> list[str]:
        return sorted(t["element_id"] for t in self.tasks(user))

    def task(self, user: str, element: str) -> dict[str, Any]:
        found = [t for t in self.tasks(user) if t["element_id"] == element]
        assert found, f"{user} sees no '{element}' task; sees {self.open(user)}"
        return found[0]

    def do(self, user: str, element: str, data: dict[str, Any] | None = None) -> Result:
        """Complete the task as ``user`` does, signing it first when it is a signature step."""
        task, data = self.task(user, element), data or {}
        signature = self.library.signature(task, data, user) if task["signature_required"] else None
        result = self.platform.complete(task["id"], data, actor=user, signature=signature)
        assert self.instance()["incident"] is None, self.instance()["incident"]
        return result

    def instance(self) -> dict[str, Any]:
        return self.platform.instance(self.id)

    @property
    def status(self) -> str:
        return str(self.instance()["status"])

    def history(self) -> list[dict[str, Any]]:
        return self.platform.history(self.id)

    def kinds(self) -> list[str]:
        return [e["kind"] for e in self.history()]

    def events(self, kind: str, element: str | None = None) -> list[dict[str, Any]]:
        return [
            e for e in self.history() if e["kind"] == kind and (element is None or e["element_id"] == element)
        ]

    def ends(self) -> list[str]:
        return [e["element_id"] for e in self.events("end_reached")]

    def data(self) -> dict[str, Any]:
        """The case data as the instance finished with it."""
        (done,) = self.events("instance_completed")
        return dict(done["data"]["data"])

    def snapshot(self, *users: str) -> tuple[Any, ...]:
        """What must not change when a step is refused: the instance, its history, these inboxes."""
        return (self.instance(), self.history(), [self.tasks(u) for u in users])


@pytest.fixture(scope="session")
def demo_pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo CA and a PKCS#12 key for every demo user, as ``init-db --demo`` makes them (once: RSA keys
    are slow to make), valid from before the earliest scenario to after the latest."""
    users = json.loads(demo.DEMO_FILE.read_text(encoding="utf-8"))["users"]
    people = [Person(u["name"], u.get("title"), u.get("unit"), frozenset(u.get("groups", [])), u.get("email"))
              for u in users]  # fmt: skip
    out = tmp_path_factory.mktemp("pki")
    issue_demo_credentials(people, out, FixedClock.at("2025-10-01T09:00:00+03:30"))
    return out


@pytest.fixture(params=["cached", "reloaded"])
def library(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock, demo_pki: Path
) -> Iterator[Library]:
    smtp: SmtpServer = request.getfixturevalue("smtp_server")  # the real SMTP server of tests/handlers
    settings = from_env(
        {},
        database_url=f"sqlite:///{tmp_path / 'nezarat.db'}",
        data_dir=str(tmp_path / "data"),
        smtp_host=smtp.host,
        smtp_port=str(smtp.port),
        trust_dir=str(demo_pki / "trust"),
    )
    platform = Platform.build(settings, clock=clock, **wiring.platform_parts(settings, clock))
    platform.init_db()
    with platform.store.transaction() as tx:
        demo.load_demo(tx)
    refused = deploy_library(platform)
    if request.param == "reloaded":
        platform.runtime.live._size = 0  # every step loads the instance from the database and saves it
    yield Library(platform, clock, smtp, refused, demo_pki)
    replays_clean(platform, smtp)
    platform.store.dispose()


def replays_clean(platform: Platform, smtp: SmtpServer) -> None:
    """Issue 5: every instance a scenario left, finished or not, replays to the same history and state,
    and the replay sends no mail."""
    sent = len(smtp.messages)
    reports = Replayer.of(platform, wiring.replay_services(platform.settings)).replay_all()
    diverged = [r.to_dict() for r in reports if not r.ok]
    assert diverged == [], json.dumps(diverged, ensure_ascii=False, indent=1)[:4000]
    assert len(smtp.messages) == sent


def deploy_library(platform: Platform) -> dict[str, DefinitionError]:
    """Deploy every bundle of processes/ (what ``deploy processes/`` does, one bundle at a time)."""
    refused = {}
    for folder in sorted(p for p in PROCESSES.iterdir() if (p / "process.bpmn").is_file()):
        try:
            platform.deploy(folder, actor="admin")
        except DefinitionError as err:
            refused[folder.name] = err
    return refused
