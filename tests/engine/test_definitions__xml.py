"""Loading diagrams (xml), checking them against the XSD (xsd), telling their dialect (flavour), and all
three plus the lint rules over the third-party corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from engine.definitions import checks, flavour, xml, xsd
from engine.definitions.diagnostics import Diagnostic, errors_in
from engine.errors import DefinitionError

DATA = Path(__file__).resolve().parents[1] / "data" / "definitions"
# The shared folder sits beside the repository, locally and in CI.
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
CAMUNDA = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"'
SPIFF = 'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"'


def load(text: str) -> etree._ElementTree:
    return xml.load(text.encode(), filename="t.bpmn")


def test_load_returns_the_tree_of_a_bpmn_file() -> None:
    tree = xml.load_path(DATA / "camunda_clean.bpmn")

    assert tree.getroot().tag == "{http://www.omg.org/spec/BPMN/20100524/MODEL}definitions"
    assert tree.getroot().find(".//{*}userTask").sourceline == 16


@pytest.mark.parametrize("namespace", xml.DMN_NAMESPACES)
def test_load_accepts_every_supported_dmn_namespace(namespace: str) -> None:
    tree = load(f'<definitions xmlns="{namespace}" id="d" name="d" namespace="x"/>')

    assert flavour.is_dmn(tree)


def test_load_keeps_comments_and_accepts_doctype_text_inside_cdata() -> None:
    tree = load(
        f"<bpmn:definitions {BPMN}><!-- <!DOCTYPE x> -->"
        "<bpmn:documentation><![CDATA[<!DOCTYPE html><p>mail</p>]]></bpmn:documentation></bpmn:definitions>"
    )

    assert tree.getroot()[0].tag is etree.Comment
    assert tree.getroot()[1].text == "<!DOCTYPE html><p>mail</p>"


def test_every_refusal_carries_its_diagnostic_in_details() -> None:
    with pytest.raises(DefinitionError) as caught:
        xml.load(b"<nope/>", filename="processes/x/process.bpmn")

    error = caught.value
    assert error.message == "NZ004 root element is nope, not BPMN definitions"
    assert (error.file, error.line, error.code, error.status) == (
        "processes/x/process.bpmn",
        1,
        "definition_invalid",
        400,
    )
    assert error.details == [
        {
            "code": "NZ004",
            "severity": "error",
            "message": "root element is nope, not BPMN definitions",
            "hint": error.hint,
            "file": "processes/x/process.bpmn",
            "line": 1,
        }
    ]


def test_an_empty_file_is_not_well_formed() -> None:
    with pytest.raises(DefinitionError) as caught:
        xml.load(b"", filename="t.bpmn")

    assert caught.value.message.startswith("NZ001")


def test_the_size_limit_can_be_lowered_and_reports_small_sizes_readably() -> None:
    with pytest.raises(DefinitionError) as caught:
        xml.load(b" " * 3000, filename="t.bpmn", max_bytes=2048)

    assert caught.value.message == "NZ003 file is 2.9 KB; the limit is 2.0 KB"


def test_load_path_loads_a_file_within_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "p.bpmn"
    path.write_bytes(f'<bpmn:definitions {BPMN} id="d"/>'.encode())

    assert xml.load_path(path, max_bytes=100).getroot().get("id") == "d"


def test_xsd_accepts_the_clean_fixtures() -> None:
    for name in ("camunda_clean.bpmn", "spiff_clean.bpmn", "decision.dmn"):
        assert xsd.validate(xml.load_path(DATA / name), name) == [], name


def test_xsd_reports_each_error_as_a_warning_with_its_line() -> None:
    tree = load(
        f'<bpmn:definitions {BPMN} id="d" targetNamespace="x">\n<bpmn:process id="p">\n<bpmn:bogus/>\n</bpmn:process>\n</bpmn:definitions>'
    )

    [found] = xsd.validate(tree, "t.bpmn")

    assert (found.code, found.severity, found.line, found.file) == ("NZ005", "warning", 3, "t.bpmn")
    assert found.message.startswith(
        "does not match the BPMN 2.0 schema: Element '{http://www.omg.org/spec/BPMN/20100524/MODEL}bogus'"
    )


def test_xsd_caps_its_findings_at_ten_and_says_how_many_it_left_out() -> None:
    bogus = "\n".join(f'<bpmn:task id="t{n}" bogus="1"/>' for n in range(15))
    tree = load(
        f'<bpmn:definitions {BPMN} id="d" targetNamespace="x"><bpmn:process id="p">{bogus}</bpmn:process></bpmn:definitions>'
    )

    found = xsd.validate(tree, "t.bpmn")

    assert len(found) == xsd.MAX_FINDINGS
    assert found[-1].hint == "5 more schema errors are not shown"


def test_xsd_validates_dmn_against_its_own_schema() -> None:
    tree = load(
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="x">\n<oops/>\n</definitions>'
    )

    [found] = xsd.validate(tree, "t.dmn")

    assert found.message.startswith("does not match the DMN schema")
    assert found.line == 2


def test_xsd_forgives_the_bpmn_js_message_path_quirk_without_changing_the_tree() -> None:
    tree = load(
        f'<bpmn:definitions {BPMN} id="d" targetNamespace="x">'
        '<bpmn:correlationProperty id="cp"><bpmn:correlationPropertyRetrievalExpression messageRef="m">'
        "<bpmn:formalExpression>order_id</bpmn:formalExpression>"
        "</bpmn:correlationPropertyRetrievalExpression></bpmn:correlationProperty>"
        '<bpmn:message id="m"/></bpmn:definitions>'
    )

    assert xsd.validate(tree, "t.bpmn") == []
    assert tree.find(".//{*}formalExpression") is not None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            f'<bpmn:process {CAMUNDA} id="p"><bpmn:userTask id="t" camunda:assignee="x"/></bpmn:process>',
            "camunda",
        ),
        (
            f"<bpmn:process {SPIFF} id='p'><bpmn:extensionElements><spiffworkflow:properties/></bpmn:extensionElements></bpmn:process>",
            "spiff",
        ),
        (f'<bpmn:process {CAMUNDA} {SPIFF} id="p"><bpmn:userTask id="t"/></bpmn:process>', "plain"),
    ],
    ids=["camunda-attribute", "spiff-element", "declared-but-unused"],
)
def test_flavour_comes_from_the_extensions_actually_used(body: str, expected: str) -> None:
    tree = load(f'<bpmn:definitions {BPMN} id="d">{body}</bpmn:definitions>')

    assert flavour.detect(tree) == expected
    assert not flavour.is_dmn(tree)


def test_flavour_of_the_clean_fixtures() -> None:
    assert flavour.detect(xml.load_path(DATA / "camunda_clean.bpmn")) == "camunda"
    assert flavour.detect(xml.load_path(DATA / "spiff_clean.bpmn")) == "spiff"
    assert flavour.is_dmn(xml.load_path(DATA / "decision.dmn"))


# --- the third-party corpus -----------------------------------------------------------------------------


def corpus_files() -> list[dict[str, object]]:
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    return [entry for entry in manifest["files"] if entry["kind"] in ("bpmn", "dmn")]


def lint_file(path: Path) -> list[Diagnostic]:
    tree = xml.load_path(path)
    return xsd.validate(tree, str(path)) + checks.run(tree, filename=str(path), forms=())


@pytest.mark.parametrize("entry", corpus_files(), ids=lambda entry: str(entry["file"]))
def test_every_corpus_file_loads_and_lints_or_is_refused_cleanly(entry: dict[str, object]) -> None:
    path = CORPUS / str(entry["file"])
    try:
        found = lint_file(path)
    except DefinitionError as error:
        assert error.message[:5] in ("NZ001", "NZ002", "NZ003", "NZ004")
        return
    assert all(d.code.startswith("NZ") and d.line for d in found)
    # Our XSD verdict matches the one the manifest recorded with SpiffWorkflow's own validator.
    assert (not [d for d in found if d.code == "NZ005"]) == (entry["xsd_validation"] == "valid")


@pytest.mark.parametrize("name", ["not-bpmn.bpmn", "duplicate-ids.bpmn", "unrecognized-child.bpmn"])
def test_structurally_broken_corpus_fixtures_are_caught(name: str) -> None:
    try:
        found = lint_file(CORPUS / "bpmn-moddle-fixtures" / "error" / name)
    except DefinitionError:
        return
    assert errors_in(found)
