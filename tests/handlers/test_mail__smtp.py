"""The mailer delivers Persian plain-text mail to a real SMTP server, and says clearly when it cannot."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import ssl

import pytest

from engine.clock import FixedClock
from engine.errors import HandlerError
from engine.settings import from_env
from handlers.mail import Mailer
from tests.handlers.conftest import SmtpServer, free_port

SUBJECT = "یادآوری مهلت: بررسی بودجهٔ شهرداری"
BODY = "با سلام و احترام،\nمهلت کار «بررسی بودجه» ۱۴۰۵/۰۱/۲۳ به پایان می‌رسد.\n"


def test_a_persian_message_arrives_with_its_subject_body_and_recipients(
    mailer: Mailer, smtp_server: SmtpServer
) -> None:
    mailer.send(["ali@muni-a.ir", "sara@muni-a.ir"], SUBJECT, BODY)

    [received] = smtp_server.messages
    assert received.mail_from == "nezarat@ostan.ir"
    assert received.rcpt_tos == ["ali@muni-a.ir", "sara@muni-a.ir"]
    assert received.message["Subject"] == SUBJECT
    assert received.body == BODY
    assert received.message.get_content_type() == "text/plain"
    assert received.message.get_content_charset() == "utf-8"


def test_a_long_persian_subject_keeps_every_space_between_its_words(
    mailer: Mailer, smtp_server: SmtpServer
) -> None:
    # Folded at 78 columns, Python's encoder dropped the space at the fold: "انطباق بودجه" → "انطباقبودجه".
    subject = "گذشت مهلت: بررسی انطباق بودجه با بخشنامهٔ بودجهٔ سال ۱۴۰۵ شهرداری‌های استان"
    mailer.send(["ali@muni-a.ir"], subject, BODY)

    [received] = smtp_server.messages
    assert received.message["Subject"] == subject


def test_the_raw_message_is_ascii_safe_and_carries_date_and_message_id(
    mailer: Mailer, smtp_server: SmtpServer, mail_clock: FixedClock
) -> None:
    mailer.send(["ali@muni-a.ir"], SUBJECT, BODY)

    received = smtp_server.messages[0]
    message = received.message
    received.raw.decode("ascii")  # Persian travels encoded (RFC 2047 headers, base64 body), not as raw UTF-8
    assert b"subject: =?utf-8?" in received.raw.lower()
    assert email.utils.parsedate_to_datetime(message["Date"]) == mail_clock.now()
    assert re.fullmatch(r"<[0-9a-f]{32}@ostan\.ir>", message["Message-ID"])


def test_an_explicit_time_overrides_the_mailers_clock(mailer: Mailer, smtp_server: SmtpServer) -> None:
    at = dt.datetime(2026, 5, 2, 4, 0, tzinfo=dt.UTC)
    mailer.send(["ali@muni-a.ir"], SUBJECT, BODY, at=at)

    assert email.utils.parsedate_to_datetime(smtp_server.messages[0].message["Date"]) == at


def test_two_messages_get_different_message_ids(mailer: Mailer, smtp_server: SmtpServer) -> None:
    mailer.send(["ali@muni-a.ir"], SUBJECT, BODY)
    mailer.send(["ali@muni-a.ir"], SUBJECT, BODY)

    first, second = (m.message["Message-ID"] for m in smtp_server.messages)
    assert first != second


def test_an_unreachable_server_raises_a_handler_error_naming_it(mail_clock: FixedClock) -> None:
    port = free_port()  # nothing listens there
    mailer = Mailer("127.0.0.1", port, "nezarat@ostan.ir", clock=mail_clock)

    with pytest.raises(HandlerError) as caught:
        mailer.send(["ali@muni-a.ir"], SUBJECT, BODY)

    assert f"127.0.0.1:{port}" in caught.value.message
    assert "ارسال ایمیل" in caught.value.message
    assert caught.value.error_code == "mail_failed"
    assert "NEZARAT_SMTP_HOST" in (caught.value.hint or "")


def test_a_message_without_recipients_is_refused(mailer: Mailer, smtp_server: SmtpServer) -> None:
    with pytest.raises(HandlerError):
        mailer.send([], SUBJECT, BODY)
    assert smtp_server.messages == []


def test_the_mailer_built_from_settings_uses_the_smtp_settings(
    smtp_server: SmtpServer, mail_clock: FixedClock
) -> None:
    settings = from_env(
        {"NEZARAT_SMTP_HOST": smtp_server.host, "NEZARAT_SMTP_PORT": str(smtp_server.port)},
        mail_from="budget@ostan.ir",
    )
    Mailer.from_settings(settings, clock=mail_clock).send(["ali@muni-a.ir"], SUBJECT, BODY)

    assert smtp_server.messages[0].mail_from == "budget@ostan.ir"


def test_smtp_settings_have_working_defaults() -> None:
    settings = from_env({})
    mailer = Mailer.from_settings(settings)

    assert (mailer.host, mailer.port, mailer.sender) == ("localhost", 25, "nezarat@localhost")
    assert mailer.user is None and mailer.starttls is False


def tls_mailer(server: SmtpServer, clock: FixedClock, **options: object) -> Mailer:
    return Mailer(server.host, server.port, "nezarat@ostan.ir", clock=clock, **options)  # type: ignore[arg-type]


def test_starttls_and_login_reach_a_server_that_requires_both(
    smtp_server_with_login: SmtpServer, mail_clock: FixedClock, trusting_test_certificate: ssl.SSLContext
) -> None:
    mailer = tls_mailer(
        smtp_server_with_login,
        mail_clock,
        user="nezarat",
        password="secret",
        starttls=True,
        tls_context=trusting_test_certificate,
    )

    mailer.send(["ali@muni-a.ir"], SUBJECT, BODY)

    [received] = smtp_server_with_login.messages
    assert received.rcpt_tos == ["ali@muni-a.ir"]
    assert received.message["Subject"] == SUBJECT


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"user": "nezarat", "password": "wrong", "starttls": True}, id="wrong-password"),
        pytest.param({"user": "nezarat", "password": "secret"}, id="no-starttls"),
        pytest.param({"starttls": True}, id="no-login"),
    ],
)
def test_a_refused_login_or_missing_tls_is_a_handler_error(
    smtp_server_with_login: SmtpServer,
    mail_clock: FixedClock,
    trusting_test_certificate: ssl.SSLContext,
    options: dict[str, object],
) -> None:
    mailer = tls_mailer(smtp_server_with_login, mail_clock, tls_context=trusting_test_certificate, **options)

    with pytest.raises(HandlerError):
        mailer.send(["ali@muni-a.ir"], SUBJECT, BODY)
    assert smtp_server_with_login.messages == []


def test_an_untrusted_server_certificate_is_refused(
    smtp_server_with_login: SmtpServer, mail_clock: FixedClock
) -> None:
    mailer = tls_mailer(smtp_server_with_login, mail_clock, user="nezarat", password="secret", starttls=True)

    with pytest.raises(HandlerError) as caught:
        mailer.send(["ali@muni-a.ir"], SUBJECT, BODY)
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.message
    assert smtp_server_with_login.messages == []
