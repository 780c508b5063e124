"""Handler fixtures: a real SMTP server (aiosmtpd) on 127.0.0.1, a small directory, handler contexts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterator, Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from engine import directory as engine_directory
from engine.clock import FixedClock, SystemClock
from engine.service_tasks import HandlerContext
from engine.services import DirectoryView
from engine.store.session import Store
from handlers.mail import Mailer


@dataclasses.dataclass(frozen=True)
class Received:
    """One message as the SMTP server got it: envelope and parsed content."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        return str(part.get_content())


class _Collector:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Received] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, raw))
        return "250 OK"


@dataclasses.dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    messages: list[Received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _password_check(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"nezarat",
        b"secret",
    )
    return AuthResult(success=ok, handled=False)  # unhandled: the server answers 535 itself


def _serve(**options: Any) -> Iterator[SmtpServer]:
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", controller.port, collector.messages)
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    yield from _serve()


@pytest.fixture(scope="session")
def test_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and key for 127.0.0.1, made for this test run (no key in the repository)."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = SystemClock().now()  # ssl checks validity against the real time
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem, key_file = folder / "smtp-test.pem", folder / "smtp-test.key"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return pem, key_file


@pytest.fixture
def smtp_server_with_login(test_certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """A server that accepts mail only after STARTTLS and AUTH as nezarat / secret."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*test_certificate)
    yield from _serve(
        tls_context=context, require_starttls=True, authenticator=_password_check, auth_required=True
    )


@pytest.fixture
def trusting_test_certificate(test_certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """A client TLS context that trusts the test server's certificate (and nothing else)."""
    return ssl.create_default_context(cafile=test_certificate[0])


@pytest.fixture
def mail_clock() -> FixedClock:
    return FixedClock.at("2026-04-12T10:15:00+03:30")


@pytest.fixture
def mailer(smtp_server: SmtpServer, mail_clock: FixedClock) -> Mailer:
    return Mailer(smtp_server.host, smtp_server.port, "nezarat@ostan.ir", clock=mail_clock)


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[DirectoryView]:
    """The engine's real directory service on a real SQLite database: two governorates; under the first,
    two municipalities; under the first, its council and its finance department; a ministry on its own.
    Mina and Hamid have no e-mail address."""
    store = Store(f"sqlite:///{tmp_path / 'directory.db'}")
    store.migrate()
    units = [
        ("gov", None),
        ("muni-a", "gov"),
        ("muni-b", "gov"),
        ("gov2", None),
        ("muni-a-council", "muni-a"),
        ("muni-a-finance", "muni-a"),
        ("ministry", None),
    ]
    people = [
        ("ali", "clerk", "muni-a", "ali@muni-a.ir"),
        ("sara", "clerk", "muni-a", "sara@muni-a.ir"),
        ("mina", "clerk", "muni-a", None),
        ("bahram", "clerk", "muni-b", "bahram@muni-b.ir"),
        ("nasrin", "clerk", "gov", "nasrin@ostan.ir"),
        ("dg", "urban_affairs_dg", "gov", "dg@ostan.ir"),
        ("dg2", "urban_affairs_dg", "gov2", "dg@ostan2.ir"),
        ("hamid", "manager", "muni-b", None),
        ("farid", "municipal_deputy", "muni-a-finance", "farid@muni-a.ir"),
        ("kaveh", "municipal_deputy", "muni-b", "kaveh@muni-b.ir"),
    ]
    with store.transaction() as tx:
        for name, parent in units:
            engine_directory.add_unit(tx, name, parent=parent)
        for name, group, unit, mail in people:
            engine_directory.add_user(tx, name, groups=[group], unit=unit, email=mail)
        yield DirectoryView(tx)
    store.dispose()


MakeContext = Callable[..., HandlerContext]


@pytest.fixture
def make_context(mailer: Mailer, directory: DirectoryView, mail_clock: FixedClock) -> MakeContext:
    """A real HandlerContext for ``name`` with the directory and the mailer of the test SMTP server."""

    def build(
        name: str,
        params: Mapping[str, Any],
        data: Mapping[str, Any] | None = None,
        org_unit: str | None = None,
    ) -> HandlerContext:
        return HandlerContext(
            name=name,
            data=dict(data or {}),
            params=dict(params),
            instance_id="inst-1",
            process_key="article79_dispute",
            element_id="Task_notify",
            actor=None,
            clock=mail_clock,
            services={"directory": directory, "mailer": mailer},
            org_unit=org_unit,
        )

    return build
