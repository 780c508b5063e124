"""Hostile uploads: entity tricks, bombs, huge files and impostor roots are refused before they cost anything."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest

from engine.definitions import checks, xml
from engine.errors import DefinitionError

BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
LIMIT = 5 * 1024 * 1024

BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE bpmn:definitions [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<bpmn:definitions {BPMN} id="d"><bpmn:documentation>&lol9;</bpmn:documentation></bpmn:definitions>
""".encode()


def xxe(secret_file: Path) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE bpmn:definitions [<!ENTITY xxe SYSTEM "file://{secret_file}">]>
<bpmn:definitions {BPMN} id="d"><bpmn:documentation>&xxe;</bpmn:documentation></bpmn:definitions>
""".encode()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-7f3a9c")
    return path


def refusal(data: bytes, **kwargs: int) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        xml.load(data, filename="upload.bpmn", **kwargs)
    return caught.value


def everything_said(error: DefinitionError) -> str:
    return " ".join([str(error), repr(error), error.message, json.dumps(error.to_dict())])


def test_external_entity_is_refused_and_the_secret_never_appears(secret_file: Path) -> None:
    error = refusal(xxe(secret_file))

    assert error.message.startswith("NZ002 DOCTYPE declarations are not allowed")
    assert error.details == [
        {
            "code": "NZ002",
            "severity": "error",
            "message": "DOCTYPE declarations are not allowed (they enable external and expanding entities)",
            "hint": "remove the <!DOCTYPE ...> block; BPMN files never need one",
            "file": "upload.bpmn",
        }
    ]
    assert "TOP-SECRET" not in everything_said(error)


def test_external_entity_in_utf16_is_refused(secret_file: Path) -> None:
    data = xxe(secret_file).decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')

    error = refusal(data.encode("utf-16"))

    assert error.message.startswith("NZ002")
    assert "TOP-SECRET" not in everything_said(error)


def test_billion_laughs_is_refused_fast() -> None:
    started = time.perf_counter()

    error = refusal(BILLION_LAUGHS)

    assert error.message.startswith("NZ002")
    assert time.perf_counter() - started < 1.0


def test_the_parser_itself_neither_expands_nor_fetches_entities(
    monkeypatch: pytest.MonkeyPatch, secret_file: Path
) -> None:
    # Defence in depth: if the byte scan ever misses a DOCTYPE (an encoding it cannot read), the parser
    # must still not expand a bomb or read a file, and the parsed DTD must still be refused.
    monkeypatch.setattr(xml, "_declares_doctype", lambda data: False)
    started = time.perf_counter()

    bomb = refusal(BILLION_LAUGHS)
    leak = refusal(xxe(secret_file))

    assert time.perf_counter() - started < 1.0
    # libxml2 itself stops the bomb (amplification limit, reported as NZ001); the DTD check stops the rest.
    assert bomb.message[:5] in ("NZ001", "NZ002")
    assert leak.message.startswith("NZ002")
    assert "TOP-SECRET" not in everything_said(leak)


def test_a_20_mb_file_is_refused_before_parsing(tmp_path: Path) -> None:
    huge = tmp_path / "huge.bpmn"
    with huge.open("wb") as f:
        f.truncate(20 * 1024 * 1024)  # sparse: costs no disk

    with pytest.raises(DefinitionError) as caught:
        xml.load_path(huge)

    assert caught.value.message == "NZ003 file is 20.0 MB; the limit is 5.0 MB"
    assert caught.value.file == str(huge)


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_loading_a_huge_stream_reads_at_most_the_limit_plus_one_byte() -> None:
    stream = CountingStream(b" " * (20 * 1024 * 1024))

    with pytest.raises(DefinitionError) as caught:
        xml.load_stream(stream, filename="huge.bpmn")

    assert stream.bytes_read == LIMIT + 1
    assert caught.value.message == "NZ003 file is larger than 5.0 MB; the limit is 5.0 MB"


def test_oversized_bytes_are_refused_without_parsing() -> None:
    error = refusal(b"<" * (20 * 1024 * 1024))

    assert error.message == "NZ003 file is 20.0 MB; the limit is 5.0 MB"


def test_a_non_bpmn_root_is_refused() -> None:
    error = refusal(b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')

    assert error.message == "NZ004 root element is {http://www.w3.org/1999/xhtml}html, not BPMN definitions"
    assert error.line == 2


def test_not_well_formed_xml_is_refused_with_its_line() -> None:
    error = refusal(
        f'<?xml version="1.0"?>\n<bpmn:definitions {BPMN}>\n  <bpmn:process>\n</bpmn:definitions>'.encode()
    )

    assert error.message.startswith("NZ001 the file is not well-formed XML: ")
    assert "mismatch" in error.message
    assert error.line == 4
    assert error.details[0]["line"] == 4


def test_duplicate_ids_are_an_error_naming_both_lines() -> None:
    data = f'<bpmn:definitions {BPMN} id="d">\n<bpmn:process id="p"/>\n<bpmn:process id="p"/>\n</bpmn:definitions>'
    tree = xml.load(data.encode(), filename="dup.bpmn")

    found = [d for d in checks.run(tree, filename="dup.bpmn", forms=()) if d.code == "NZ010"]

    assert [(d.severity, d.line, d.element) for d in found] == [("error", 3, "p")]
    assert found[0].message == "id 'p' is used twice: line 2 and line 3"
