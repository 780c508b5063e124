"""notify.mail finds the people of a group (in the case's unit or above) or a named user and mails them."""

from __future__ import annotations

import dataclasses

import pytest

from engine.errors import HandlerError
from engine.service_tasks import lookup
from handlers.mail import Mailer
from tests.handlers.conftest import MakeContext, SmtpServer, free_port


def notify(
    make_context: MakeContext, params: dict, data: dict | None = None, org_unit: str | None = None
) -> dict:
    return dict(lookup("notify.mail")(make_context("notify.mail", params, data, org_unit)) or {})


def test_a_group_is_mailed_in_the_cases_unit_and_the_units_above_it(
    make_context: MakeContext, smtp_server: SmtpServer
) -> None:
    result = notify(
        make_context, {"to": "clerk", "template": "generic", "message": "سلام"}, {"unit": "muni-a"}
    )

    # mina has no address; bahram works in another municipality.
    assert result == {"notified": ["ali", "nasrin", "sara"]}  # the directory lists people by name
    [received] = smtp_server.messages
    assert received.rcpt_tos == ["ali@muni-a.ir", "nasrin@ostan.ir", "sara@muni-a.ir"]
    assert "سلام" in received.body


def test_a_unit_parameter_overrides_the_cases_unit(
    make_context: MakeContext, smtp_server: SmtpServer
) -> None:
    result = notify(make_context, {"to": "clerk", "unit": "muni-b"}, {"unit": "muni-a"})

    assert result == {"notified": ["bahram", "nasrin"]}


def test_without_a_unit_field_the_unit_the_case_was_started_in_is_used(
    make_context: MakeContext, smtp_server: SmtpServer
) -> None:
    assert notify(make_context, {"to": "clerk"}, {}, org_unit="muni-b") == {"notified": ["bahram", "nasrin"]}


def test_a_case_of_a_council_reaches_the_deputies_of_its_own_municipality_only(
    make_context: MakeContext, smtp_server: SmtpServer
) -> None:
    # The council and the finance department are siblings under municipality A; kaveh is B's deputy.
    result = notify(make_context, {"to": "municipal_deputy"}, {}, org_unit="muni-a-council")

    assert result == {"notified": ["farid"]}


def test_a_named_user_is_mailed_with_the_template_filled_from_params_and_case_data(
    make_context: MakeContext, smtp_server: SmtpServer
) -> None:
    result = notify(
        make_context,
        {"to": "user:sara", "template": "task_assigned", "due_at": "2026-04-12T11:00:00Z"},
        {"task_title": "ثبت رأی هیئت"},
    )

    assert result == {"notified": ["sara"]}
    [received] = smtp_server.messages
    assert received.rcpt_tos == ["sara@muni-a.ir"]
    assert received.message["Subject"] == "کار تازه در کارتابل: ثبت رأی هیئت"
    assert "مهلت انجام: ۱۴۰۵/۰۱/۲۳ ساعت ۱۴:۳۰" in received.body


def test_several_targets_are_mailed_once_each(make_context: MakeContext, smtp_server: SmtpServer) -> None:
    result = notify(make_context, {"to": "user:ali, clerk, urban_affairs_dg"}, {"unit": "muni-a"})

    assert result == {"notified": ["ali", "nasrin", "sara", "dg"]}  # by name within each target
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0].rcpt_tos == [
        "ali@muni-a.ir",
        "nasrin@ostan.ir",
        "sara@muni-a.ir",
        "dg@ostan.ir",
    ]


def test_nobody_with_an_address_is_a_persian_handler_error_and_sends_nothing(
    make_context: MakeContext, smtp_server: SmtpServer
) -> None:
    with pytest.raises(HandlerError) as caught:
        notify(make_context, {"to": "manager"}, {"unit": "muni-b"})

    assert "هیچ گیرنده‌ای با نشانی ایمیل" in caught.value.message
    assert "manager" in caught.value.message
    assert smtp_server.messages == []


def test_an_unknown_user_is_nobody(make_context: MakeContext, smtp_server: SmtpServer) -> None:
    with pytest.raises(HandlerError):
        notify(make_context, {"to": "user:nobody"})


def test_a_missing_to_parameter_is_a_handler_error(make_context: MakeContext) -> None:
    with pytest.raises(HandlerError) as caught:
        notify(make_context, {"template": "generic"})
    assert "to" in caught.value.message


def test_a_server_that_is_down_makes_the_step_fail_with_a_handler_error(make_context: MakeContext) -> None:
    context = make_context("notify.mail", {"to": "user:ali"})
    down = Mailer("127.0.0.1", free_port(), "nezarat@ostan.ir")
    context = dataclasses.replace(context, services={**context.services, "mailer": down})

    with pytest.raises(HandlerError) as caught:
        lookup("notify.mail")(context)
    assert caught.value.error_code == "mail_failed"
