"""sla.remind mails the assignee (or else the groups' people of the task's unit); sla.escalate the escalation group."""

from __future__ import annotations

import pytest

from engine.errors import HandlerError
from engine.service_tasks import lookup
from tests.handlers.conftest import MakeContext, SmtpServer

DUE = "2026-04-12T11:00:00+00:00"
TASK = {"task_title": "بررسی لایحهٔ بودجه", "due_at": DUE, "groups": ["clerk"], "unit": "muni-a"}


def call(make_context: MakeContext, name: str, **params: object) -> dict:
    return dict(lookup(name)(make_context(name, {**TASK, **params})) or {})


def test_a_reminder_goes_to_the_assignee_only(make_context: MakeContext, smtp_server: SmtpServer) -> None:
    result = call(make_context, "sla.remind", assignee="sara")

    assert result == {"notified": ["sara"]}
    [received] = smtp_server.messages
    assert received.rcpt_tos == ["sara@muni-a.ir"]
    assert received.message["Subject"] == "یادآوری مهلت: بررسی لایحهٔ بودجه"
    assert "۱۴۰۵/۰۱/۲۳ ساعت ۱۴:۳۰" in received.body


def test_without_an_assignee_the_reminder_goes_to_the_groups_people_of_the_unit_and_above(
    make_context: MakeContext, smtp_server: SmtpServer
) -> None:
    result = call(make_context, "sla.remind", assignee=None)

    assert result == {"notified": ["ali", "nasrin", "sara"]}  # the directory lists people by name
    assert smtp_server.messages[0].rcpt_tos == ["ali@muni-a.ir", "nasrin@ostan.ir", "sara@muni-a.ir"]


def test_groups_may_be_given_as_comma_separated_text(
    make_context: MakeContext, smtp_server: SmtpServer
) -> None:
    result = call(make_context, "sla.remind", groups="clerk,urban_affairs_dg", unit="muni-b")

    assert result == {"notified": ["bahram", "nasrin", "dg"]}


def test_an_assignee_without_an_address_falls_back_to_the_group(
    make_context: MakeContext, smtp_server: SmtpServer
) -> None:
    result = call(make_context, "sla.remind", assignee="mina")

    assert result == {"notified": ["ali", "nasrin", "sara"]}  # the directory lists people by name


def test_an_escalation_goes_to_the_escalation_group_above_the_unit_only(
    make_context: MakeContext, smtp_server: SmtpServer
) -> None:
    result = call(make_context, "sla.escalate", assignee="ali", escalate_to="urban_affairs_dg")

    assert result == {"notified": ["dg"]}  # not dg2 of the other governorate
    [received] = smtp_server.messages
    assert received.rcpt_tos == ["dg@ostan.ir"]
    assert received.message["Subject"] == "گذشت مهلت: بررسی لایحهٔ بودجه"
    assert "کارپذیر: ali" in received.body
    assert "۱۴۰۵/۰۱/۲۳" in received.body


def test_an_escalation_of_a_task_outside_the_cases_tree_reaches_the_group_around_the_case(
    make_context: MakeContext, smtp_server: SmtpServer
) -> None:
    # A minister's task (the ministry has no director general) in a case of municipality A.
    params = {"task_title": "تأیید وزیر", "due_at": "2026-04-12T11:00:00+00:00", "unit": "ministry"}
    ctx = make_context("sla.escalate", {**params, "escalate_to": "urban_affairs_dg"}, org_unit="muni-a")

    assert lookup("sla.escalate")(ctx) == {"notified": ["dg"]}
    assert [m.rcpt_tos for m in smtp_server.messages] == [["dg@ostan.ir"]]


def test_an_escalation_without_a_group_is_a_handler_error(make_context: MakeContext) -> None:
    with pytest.raises(HandlerError) as caught:
        call(make_context, "sla.escalate", escalate_to=None)
    assert "escalate_to" in caught.value.message


def test_a_notice_without_its_task_parameters_is_a_handler_error(make_context: MakeContext) -> None:
    with pytest.raises(HandlerError) as caught:
        lookup("sla.remind")(make_context("sla.remind", {"assignee": "ali"}))
    assert "task_title" in caught.value.message
