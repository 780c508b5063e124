"""Sending Persian e-mail over SMTP, and the mail templates (``handlers/templates/mail/<name>.txt``).

A template is a Jinja2 text file that defines ``{% block subject %}`` and extends ``base.txt``, whose
layout (greeting, body, signature) becomes the body. Dates are shown in Jalali, Tehran time, with
Persian digits. A failed delivery raises :class:`engine.HandlerError`, so a mail step whose server is
down becomes an incident that can be retried.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import logging
import smtplib
import ssl
import uuid
from collections.abc import Iterable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import jinja2

from engine import Clock, HandlerContext, HandlerError, SystemClock
from engine.errors import NotFound
from engine.persian import jalali_date, jalali_datetime
from engine.persian import to_persian_digits as persian_digits
from engine.settings import Settings

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates" / "mail"
TIMEOUT_SECONDS = 20


# Python's folding of a long non-ASCII Subject loses the space at each fold ("انطباق بودجه" arrives as
# "انطباقبودجه"): with SMTP's own line limit a Persian subject is never folded. The body is base64,
# so its lines stay short whatever this limit says.
_POLICY = email.policy.default.clone(max_line_length=998)


class Mailer:
    """Sends plain-text UTF-8 messages through one SMTP server, a new connection per message.

    With ``starttls`` the connection switches to TLS before login, and the server's certificate is
    checked against ``tls_context`` (default: the system's trusted certificates).
    """

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        user: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        clock: Clock | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.user, self.password, self.starttls = user or None, password, starttls
        self.clock = clock or SystemClock()
        # smtplib's own default does not check the server's certificate; ours does.
        self.tls_context = tls_context

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock | None = None) -> Mailer:
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.mail_from,
            user=settings.smtp_user or None,
            password=settings.smtp_password or None,
            starttls=settings.smtp_starttls,
            clock=clock,
        )

    def message(
        self, to: list[str], subject: str, body: str, *, at: dt.datetime | None = None
    ) -> EmailMessage:
        """The message ``send`` would deliver; ``Date`` is ``at`` or the mailer's clock."""
        msg = EmailMessage(policy=_POLICY)
        msg["From"] = self.sender
        msg["To"] = ", ".join(to)
        msg["Subject"] = subject
        msg["Date"] = email.utils.format_datetime(at or self.clock.now())
        domain = self.sender.rpartition("@")[2] or "localhost"
        msg["Message-ID"] = f"<{uuid.uuid4().hex}@{domain}>"
        msg.set_content(body, charset="utf-8", cte="base64")
        return msg

    def send(self, to: list[str], subject: str, body: str, *, at: dt.datetime | None = None) -> None:
        """Deliver one message to every address in ``to``; raises HandlerError if it cannot."""
        if not to:
            raise HandlerError("ایمیل گیرنده‌ای ندارد (no recipients)", error_code="mail_failed")
        self.deliver(self.message(to, subject, body, at=at))

    def deliver(self, msg: EmailMessage) -> None:
        """Hand ``msg`` to the SMTP server; raises HandlerError if it cannot."""
        where = f"{self.host}:{self.port}"
        try:
            with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS) as smtp:
                if self.starttls:
                    smtp.starttls(context=self.tls_context or ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password or "")
                refused = smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise HandlerError(
                f"ارسال ایمیل به سرور {where} ممکن نشد: {exc}",
                error_code="mail_failed",
                hint="check NEZARAT_SMTP_HOST and NEZARAT_SMTP_PORT, then retry the step",
            ) from exc
        if refused:
            log.warning("the SMTP server %s refused some recipients: %s", where, sorted(refused))


class Outbox(Mailer):
    """A mailer that keeps what it would send instead of sending it: a replay re-runs mail steps, and the
    people were told once already."""

    def __init__(self, sender: str, *, clock: Clock | None = None) -> None:
        super().__init__("outbox", 0, sender, clock=clock)
        self.messages: list[EmailMessage] = []

    def deliver(self, msg: EmailMessage) -> None:
        self.messages.append(msg)


# -- templates --------------------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # plain-text mail: nothing is HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(fa=persian_digits, jalali=jalali_date, jalali_datetime=jalali_datetime)
    return env


_ENV = _environment()


def template_names() -> list[str]:
    return sorted(p.stem for p in TEMPLATES.glob("*.txt") if p.stem != "base")


def render(template_name: str, /, **values: Any) -> tuple[str, str]:
    """(subject, body) of the mail template ``template_name`` filled with ``values``."""
    if template_name not in template_names():
        raise HandlerError(
            f"قالب ایمیل «{template_name}» وجود ندارد",
            hint="known templates: " + ", ".join(template_names()),
            error_code="mail_failed",
        )
    template = _ENV.get_template(f"{template_name}.txt")
    try:
        context = template.new_context(values)
        subject = "".join(template.blocks["subject"](context))
        body = template.render(values)
    except (jinja2.UndefinedError, ValueError) as exc:
        raise HandlerError(f"قالب ایمیل «{template_name}» پر نشد: {exc}", error_code="mail_failed") from exc
    return " ".join(subject.split()), body.strip() + "\n"


# -- who receives, and delivery from a handler -------------------------------------------------------


def service(ctx: HandlerContext, name: str) -> Any:
    """The engine service ``name`` (``directory``, ``mailer``) of this handler call."""
    try:
        return ctx.services[name]
    except KeyError:
        raise HandlerError(
            f"handler '{ctx.name}' needs the '{name}' service, which the engine did not give"
        ) from None


def recipients(directory: Any, targets: str | Iterable[str], *, unit: str | None = None) -> list[Any]:
    """The people named by ``targets``: groups (their members around ``unit``, see
    :func:`engine.directory.members_around`) or ``user:<name>``.

    ``targets`` is a list or comma-separated text. People are returned once each, in order.
    """
    names = targets.split(",") if isinstance(targets, str) else list(targets)
    found: dict[str, Any] = {}
    for target in (t.strip() for t in names if t and t.strip()):
        if target.startswith("user:"):
            people = _user(directory, target.removeprefix("user:").strip())
        else:
            people = directory.around(target, unit)
        found.update((p.name, p) for p in people if p.name not in found)
    return list(found.values())


def _user(directory: Any, name: str) -> list[Any]:
    try:
        return [directory.person(name)]
    except NotFound:  # an unknown name reaches nobody; deliver() says so in Persian
        return []


def deliver(
    ctx: HandlerContext, people: Iterable[Any], who: str, template: str, **values: Any
) -> dict[str, Any]:
    """Render ``template`` and mail it to every one of ``people`` with an address: ``{"notified": names}``.

    Raises HandlerError (in Persian, naming ``who``) when none of them has an e-mail address.
    """
    reachable = [p for p in people if (p.email or "").strip()]
    if not reachable:
        raise HandlerError(
            f"برای «{who}» هیچ گیرنده‌ای با نشانی ایمیل پیدا نشد",
            hint="record the people's e-mail addresses (run.py users add … --email)",
            error_code="mail_failed",
        )
    subject, body = render(template, recipients=[p.name for p in reachable], **values)
    to = list(dict.fromkeys(p.email.strip() for p in reachable))
    service(ctx, "mailer").send(to, subject, body, at=ctx.clock.now())
    return {"notified": [p.name for p in reachable]}
