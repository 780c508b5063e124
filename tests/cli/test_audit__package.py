"""`export-audit` writes a sealed package of a signed case with a document; `verify-package` checks it
offline and names each change: a byte of history.json, of a document, of the manifest, a dropped file.
`replay` re-runs the case and finds it the same."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import ROOT, Cli

SIGNED = ROOT / "tests" / "data" / "bundles" / "signed_decision"
PDF = b"%PDF-1.4\n% minutes of the council\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def exported(demo_cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A signed_decision case completed with a signature over a decision naming a PDF, and its package."""
    folder = tmp_path_factory.mktemp("audit")
    demo_cli("deploy", str(SIGNED), "--as", "admin")
    demo_cli("users", "add", "mayor_a", "--groups", "mayor,manager", "--unit", "muni-a")
    instance = demo_cli("start", "signed_decision", "--as", "mayor_a", "--quiet").out.strip()
    (folder / "minutes.pdf").write_bytes(PDF)
    ref = demo_cli("attach", str(folder / "minutes.pdf"), "--as", "mayor_a").out.strip()
    key = demo_cli.folder / "pki" / "users" / "mayor_a.p12"
    decision = json.dumps({"decision": "approved", "amount": 1500000000, "minutes": ref})
    demo_cli("complete", "--instance", instance, "--element", "decide", "--as", "mayor_a", "--data", decision,
             "--sign-with", str(key), "--key-password", "nezarat-demo")  # fmt: skip
    package = folder / "case.zip"
    demo_cli("export-audit", instance, "-o", str(package), "--as", "auditor")
    return instance, package


def changed(package: Path, out: Path, edit: Callable[[dict[str, bytes]], None]) -> Path:
    with zipfile.ZipFile(package) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    edit(files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    out.write_bytes(buffer.getvalue())
    return out


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def problems(cli: Cli, package: Path) -> dict[str, list[str]]:
    report = cli("verify-package", str(package), "--json", expect=1).json()
    assert report["ok"] is False
    found: dict[str, list[str]] = {}
    for p in report["problems"]:
        found.setdefault(p["where"], []).append(p["problem"])
    return found


def test_the_package_holds_everything_and_verifies_offline(
    cli: Cli, demo_cli: Cli, exported: tuple[str, Path]
) -> None:
    instance, package = exported
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert {"manifest.json", "manifest.p7s", "definition/process.bpmn", "definition/forms/decision.json",
            "history.json"} <= names  # fmt: skip
    assert any(n.startswith("signatures/") for n in names) and any(n.startswith("documents/") for n in names)
    assert any(n.startswith("certificates/signers/") for n in names)
    assert any(n.startswith("certificates/roots/") for n in names)
    assert (manifest["instance_id"], manifest["exported_by"]) == (instance, "auditor")
    assert {f["path"] for f in manifest["files"]} == names - {"manifest.json", "manifest.p7s"}
    # `cli` has no database at all: verification needs the zip alone
    report = cli("verify-package", str(package), "--json").json()
    assert report["ok"] is True and report["problems"] == [], report
    assert not cli.database.exists()
    trusted = cli("verify-package", str(package), "--trust", str(demo_cli.folder / "pki" / "trust"))
    assert "verified" in trusted.out


def test_a_changed_byte_of_the_history_is_named(cli: Cli, exported: tuple[str, Path], tmp_path: Path) -> None:
    _, package = exported

    def edit(files: dict[str, bytes]) -> None:
        text = files["history.json"]
        files["history.json"] = text.replace(b'"decide"', b'"decidf"', 1)

    found = problems(cli, changed(package, tmp_path / "h.zip", edit))
    assert "differs from the manifest" in found["history.json"][0]
    assert any(
        w.startswith("event #") and "changed after it was written" in " ".join(p) for w, p in found.items()
    )


def test_a_changed_byte_of_a_document_is_named(cli: Cli, exported: tuple[str, Path], tmp_path: Path) -> None:
    _, package = exported
    document = ""

    def edit(files: dict[str, bytes]) -> None:
        nonlocal document
        document = next(n for n in files if n.startswith("documents/"))
        files[document] = flip(files[document], 20)

    found = problems(cli, changed(package, tmp_path / "d.zip", edit))
    assert "differs from the manifest" in found[document][0]
    signed = [
        w for w, p in found.items() if w.startswith("event #") and "not the content that was signed" in p[0]
    ]
    assert signed, found  # the signed decision covers the document's digest


def test_a_changed_manifest_breaks_its_seal(cli: Cli, exported: tuple[str, Path], tmp_path: Path) -> None:
    _, package = exported

    def edit(files: dict[str, bytes]) -> None:
        files["manifest.json"] = files["manifest.json"].replace(b'"auditor"', b'"auditos"')

    found = problems(cli, changed(package, tmp_path / "m.zip", edit))
    assert list(found) == ["manifest.json"], found


def test_a_dropped_file_is_named(cli: Cli, exported: tuple[str, Path], tmp_path: Path) -> None:
    _, package = exported
    dropped = ""

    def edit(files: dict[str, bytes]) -> None:
        nonlocal dropped
        dropped = next(n for n in files if n.startswith("signatures/"))
        del files[dropped]

    found = problems(cli, changed(package, tmp_path / "s.zip", edit))
    assert found[dropped] == ["listed in the manifest but missing from the package"]
    seq = dropped.removeprefix("signatures/").removesuffix(".p7s")
    assert found[f"event #{seq}"] == [f"its signature file {dropped} is missing"]


def test_replay_finds_the_signed_case_the_same(demo_cli: Cli, exported: tuple[str, Path]) -> None:
    instance, _ = exported
    report = demo_cli("replay", instance, "--json").json()
    assert report["ok"] is True and report["divergence"] is None, report
    assert report["replayed"] == report["events"] > 0
