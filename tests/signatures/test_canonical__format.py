"""The canonical approval bytes are a contract: exact layout, NFC, and refusal of non-JSON data."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

import pytest

from engine.errors import InvalidInput
from signatures.canonical import Approval, AttachmentDigest, canonical_bytes, digest_attachment

A, B, DEF = "22" * 32, "11" * 32, "ab" * 32


def approval(**changes: object) -> Approval:
    fields: dict[str, object] = {
        "actor": "ali",
        "instance_id": "42",
        "task_id": "Task_1",
        "definition_sha256": DEF,
        "decision": {"note": "تأیید", "amount": 1200, "approved": True, "items": [{"b": 1, "a": None}]},
        "attachments": (AttachmentDigest("z.pdf", B), AttachmentDigest("a.pdf", A)),
    }
    fields.update(changes)
    return Approval(**fields)  # type: ignore[arg-type]


def test_the_bytes_are_sorted_compact_utf8_json_with_sorted_attachments() -> None:
    expected = (
        '{"actor":"ali","attachments":[{"name":"a.pdf","sha256":"'
        + A
        + '"},{"name":"z.pdf","sha256":"'
        + B
        + '"}],'
        '"decision":{"amount":1200,"approved":true,"items":[{"a":null,"b":1}],"note":"تأیید"},'
        '"definition_sha256":"'
        + DEF
        + '","format":"nezarat-approval/1","instance_id":"42","task_id":"Task_1"}'
    )

    assert canonical_bytes(approval()) == expected.encode("utf-8")


def test_the_order_of_keys_and_attachments_given_does_not_matter() -> None:
    shuffled = approval(
        decision={"items": [{"a": None, "b": 1}], "approved": True, "amount": 1200, "note": "تأیید"},
        attachments=(AttachmentDigest("a.pdf", A), AttachmentDigest("z.pdf", B)),
    )

    assert canonical_bytes(shuffled) == canonical_bytes(approval())


def test_persian_text_is_nfc_so_composed_and_decomposed_forms_sign_the_same() -> None:
    composed = "آیین‌نامهٔ بودجه"  # alef with madda, ZWNJ, heh with hamza above
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed

    assert canonical_bytes(approval(decision={"متن": decomposed})) == canonical_bytes(
        approval(decision={"متن": composed})
    )


def test_arabic_and_persian_letters_stay_distinct() -> None:
    assert canonical_bytes(approval(actor="علي")) != canonical_bytes(approval(actor="علی"))


def test_control_characters_are_escaped_and_nothing_else_is() -> None:
    text = canonical_bytes(approval(decision={"n": 'a"b\\c\nd\u001be'})).decode("utf-8")

    assert '"n":"a\\"b\\\\c\\nd\\u001be"' in text


def test_a_digest_of_an_attachment_is_its_lowercase_hex_sha256() -> None:
    assert digest_attachment("x.txt", b"abc") == AttachmentDigest("x.txt", hashlib.sha256(b"abc").hexdigest())


@pytest.mark.parametrize(
    ("decision", "where"),
    [
        ({"when": dt.date(2026, 3, 1)}, "approval/decision/when"),
        ({"ratio": float("nan")}, "approval/decision/ratio"),
        ({"list": [1, {2}]}, "approval/decision/list/1"),
        ({"e\u0301": 1, "\u00e9": 2}, "approval/decision"),
    ],
)
def test_data_that_is_not_canonical_json_is_refused_naming_the_place(
    decision: dict[str, object], where: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        canonical_bytes(approval(decision=decision))

    assert raised.value.element == where


def test_a_malformed_digest_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not a lowercase hex SHA-256"):
        canonical_bytes(approval(definition_sha256="AB" * 32))
