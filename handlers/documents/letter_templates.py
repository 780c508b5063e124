"""The three letter templates of ``documents.letter``: decree (حکم), ruling (رأی) and notice (ابلاغیه).

Each fills a letter from the case data; a task parameter of the same name wins over the case data.
Keys read (all text):

- every template: ``to`` (parameter), ``subject``, ``body`` (text or list of paragraphs; replaces the
  template's wording), ``org_title`` or ``unit_title``, ``signer_name``, ``signer_title``, and the
  outgoing number ``number`` / ``outgoing_no`` (without one, a provisional number is made from the
  instance id and the Jalali year);
- decree: ``nominee`` (a name, or ``{"name": …}``) and ``position``; optional ``decree_basis``;
- ruling: ``decision`` (``confirm``, ``reject``, ``amend``) and ``reasoning``; optional ``letter_no``,
  ``letter_date``, ``sender``, ``municipality`` of the letter that started the case;
- notice: ``body`` or ``subject``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import jdatetime

from engine.errors import InvalidInput
from engine.persian import TEHRAN
from handlers.documents.persian_text import when

GREETING = "با سلام و احترام،"
DECISIONS = {"confirm": "تأیید", "reject": "رد", "amend": "اصلاح"}


@dataclasses.dataclass(frozen=True)
class LetterContent:
    title: str
    number: str
    to: str
    subject: str
    body_paragraphs: list[str]
    signer_name: str
    signer_title: str
    org_title: str


@dataclasses.dataclass(frozen=True)
class _Template:
    title: str
    signer_title: str
    body: Callable[[Mapping[str, Any], Mapping[str, Any]], tuple[str, list[str]]]  # -> subject, paragraphs


def pick(params: Mapping[str, Any], data: Mapping[str, Any], *keys: str) -> str:
    """The first non-empty value among ``keys``, task parameters before case data."""
    for source in (params, data):
        for key in keys:
            value = source.get(key)
            if value not in (None, "", [], {}):
                return str(value).strip()
    return ""


def _given_body(params: Mapping[str, Any], data: Mapping[str, Any]) -> list[str]:
    raw = params.get("body") or data.get("body")
    if isinstance(raw, list):
        return [str(p) for p in raw if str(p).strip()]
    return [p for p in str(raw or "").split("\n") if p.strip()]


def _nominee(data: Mapping[str, Any]) -> str:
    value = data.get("nominee") or data.get("appointee")
    if isinstance(value, Mapping):
        value = value.get("name") or value.get("full_name")
    return str(value or "").strip()


def _decree(params: Mapping[str, Any], data: Mapping[str, Any]) -> tuple[str, list[str]]:
    position = pick(params, data, "position")
    if not position or not (_nominee(data) or _given_body(params, data)):
        raise InvalidInput("برای صدور حکم، نام منصوب (nominee) و سمت (position) در پرونده لازم است")
    basis = pick(params, data, "decree_basis") or "به استناد قوانین و مقررات مربوط"
    subject = pick(params, data, "subject") or f"انتصاب به سمت {position}"
    return subject, [
        f"{basis}، به موجب این حکم به سمت «{position}» منصوب می‌شوید.",
        "امید است با رعایت قوانین و مقررات و با اتکال به خداوند متعال در انجام وظایف محوله موفق باشید.",
    ]


def _ruling(params: Mapping[str, Any], data: Mapping[str, Any]) -> tuple[str, list[str]]:
    decision, reasoning = pick(params, data, "decision"), pick(params, data, "reasoning")
    if decision not in DECISIONS or not reasoning:
        raise InvalidInput(
            "برای ابلاغ رأی، رأی هیئت (decision: confirm، reject یا amend) و استدلال آن لازم است"
        )
    topic = pick(params, data, "subject") or "موضوع اختلاف"
    reference = ""
    if pick(params, data, "letter_no"):
        dated = f" مورخ {when(data.get('letter_date'), with_time=False)}" if data.get("letter_date") else ""
        sender = f" {pick(params, data, 'sender')}" if pick(params, data, "sender") else ""
        reference = f"پیرو نامه شماره {pick(params, data, 'letter_no')}{dated}{sender} "
    place = f" ({pick(params, data, 'municipality')})" if pick(params, data, "municipality") else ""
    return f"ابلاغ رأی هیئت در خصوص {topic}", [
        GREETING,
        f"{reference}در خصوص «{topic}»{place}، موضوع در هیئت مطرح شد و پس از بررسی مدارک، رأی هیئت به شرح زیر صادر گردید.",
        f"رأی هیئت: {DECISIONS[decision]}",
        f"استدلال هیئت: {reasoning}",
        "مراتب جهت اطلاع و اقدام لازم ابلاغ می‌گردد.",
    ]


def _notice(params: Mapping[str, Any], data: Mapping[str, Any]) -> tuple[str, list[str]]:
    subject = pick(params, data, "subject")
    if not subject and not _given_body(params, data):
        raise InvalidInput("برای ابلاغیه، موضوع (subject) یا متن (body) در پرونده لازم است")
    subject = subject or "ابلاغیه"
    return subject, [GREETING, f"بدین‌وسیله موضوع «{subject}» جهت اطلاع و اقدام لازم ابلاغ می‌گردد."]


TEMPLATES = {
    "decree": _Template("حکم", "مقام صادرکننده حکم", _decree),
    "ruling": _Template("رأی", "رئیس هیئت", _ruling),
    "notice": _Template("ابلاغیه", "دبیرخانه", _notice),
}


def compose(
    template: str, data: Mapping[str, Any], params: Mapping[str, Any], *, instance_id: str, now: dt.datetime
) -> LetterContent:
    """The letter's parts for ``template``; :class:`InvalidInput` (Persian) if the case lacks what it needs."""
    spec = TEMPLATES.get(template)
    if spec is None:
        raise InvalidInput(f"الگوی نامه «{template}» شناخته نیست؛ یکی از decree، ruling یا notice را بنویسید")
    subject, paragraphs = spec.body(params, data)
    given = _given_body(params, data)
    if given:
        paragraphs = given
    to = pick(params, data, "to") or (_nominee(data) if template == "decree" else "")
    if not to:
        raise InvalidInput("گیرنده نامه (پارامتر to) مشخص نیست")
    return LetterContent(
        title=spec.title,
        number=pick(params, data, "number", "outgoing_no") or provisional_number(instance_id, now),
        to=to,
        subject=subject,
        body_paragraphs=paragraphs,
        signer_name=pick(params, data, "signer_name"),
        signer_title=pick(params, data, "signer_title") or spec.signer_title,
        org_title=pick(params, data, "org_title", "unit_title") or "سامانه نظارت",
    )


def provisional_number(instance_id: str, now: dt.datetime) -> str:
    """Until a secretariat registers the letter: the case's short id over the Jalali year, e.g. 3f2a9c1b/1405."""
    year = jdatetime.date.fromgregorian(date=now.astimezone(TEHRAN).date()).year
    return f"{instance_id.replace('-', '')[:8]}/{year}"
