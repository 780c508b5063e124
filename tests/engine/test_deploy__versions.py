"""Deploying: immutable versions numbered per process key, the same content is the same version, running
instances stay on their version, and a refused bundle stores nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.errors import DefinitionError
from engine.platform import Platform
from engine.store.models import ProcessVersion
from tests.conftest import bundle


def scripted(tmp_path: Path, script: str, name: str = "scripted") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    xml = (bundle("scripted") / "process.bpmn").read_text(encoding="utf-8")
    (folder / "process.bpmn").write_text(xml.replace("SCRIPT", script), encoding="utf-8")
    return folder


def versions(platform: Platform) -> int:
    with platform.store.reading() as tx:
        return int(tx.scalar(select(func.count()).select_from(ProcessVersion)) or 0)


def test_the_same_bundle_twice_is_the_same_version(platform: Platform, tmp_path: Path) -> None:
    first = platform.deploy(bundle("review"))[0]
    again = platform.deploy(bundle("review"))[0]
    assert (first.version, first.created) == (1, True)
    assert (again.version, again.sha256, again.created) == (1, first.sha256, False)
    assert versions(platform) == 1


def test_a_changed_bundle_is_a_new_version_and_running_instances_stay_on_theirs(
    platform: Platform, tmp_path: Path
) -> None:
    v1 = platform.deploy(scripted(tmp_path, "total = a + b", "v1"))[0]
    old = platform.start("scripted", {}, actor="ali")
    v2 = platform.deploy(scripted(tmp_path, "total = (a + b) * 2", "v2"))[0]
    new = platform.start("scripted", {}, actor="ali")
    assert (v1.version, v2.version) == (1, 2) and v1.sha256 != v2.sha256

    for started, expected in ((old, 3), (new, 6)):
        task = platform.tasks("ali", instance_id=started.instance_id)[0]
        platform.complete(str(task["id"]), {"a": 1, "b": 2}, actor="ali")
        assert platform.history(started.instance_id)[-1]["data"]["data"]["total"] == expected
    assert [platform.history(i.instance_id)[0]["data"]["version"] for i in (old, new)] == [1, 2]


@pytest.mark.parametrize(
    ("script", "refusal"),
    [
        ("x = __import__('os')", "'__import__' is not available"),
        ("x = open('/etc/hostname').read()", "'open' is not available"),
        ("x = ().__class__.__bases__", "names starting with '_' are reserved"),
        ("exec('x = 1')", "'exec' is not available"),
        ("import os", "imports are not allowed"),
    ],
)
def test_a_hostile_script_is_refused_at_deploy_and_nothing_is_stored(
    platform: Platform, tmp_path: Path, script: str, refusal: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        platform.deploy(scripted(tmp_path, script))
    assert caught.value.message.startswith("NZ107") and refusal in caught.value.message
    assert caught.value.element == "compute" and caught.value.line == 21  # the <bpmn:script> line
    assert versions(platform) == 0


def test_an_endless_loop_passes_deploy_and_stops_as_an_incident_at_run_time(
    platform: Platform, tmp_path: Path
) -> None:
    platform.deploy(scripted(tmp_path, "while True:\n    pass"))
    started = platform.start("scripted", {}, actor="ali")
    task = platform.tasks("ali", instance_id=started.instance_id)[0]

    result = platform.complete(str(task["id"]), {"a": 1}, actor="ali")

    assert result.status == "error"
    incident = platform.instance(started.instance_id)["incident"]
    assert (
        incident["element_id"] == "compute"
        and "exceeded" in incident["message"]
        and "steps" in incident["message"]
    )
    assert [e["kind"] for e in platform.history(started.instance_id)][-2:] == ["completed", "incident"]


def test_a_script_error_names_the_line_and_suggests_the_name(platform: Platform, tmp_path: Path) -> None:
    platform.deploy(scripted(tmp_path, "total = a + b\nshare = totl / 2"))
    started = platform.start("scripted", {}, actor="ali")
    task = platform.tasks("ali", instance_id=started.instance_id)[0]
    platform.complete(str(task["id"]), {"a": 1, "b": 2}, actor="ali")
    incident = platform.instance(started.instance_id)["incident"]
    assert incident["message"] == "name 'totl' is not defined; did you mean 'total'?"
    assert incident["line"] == 2


HOSTILE = {
    "xxe": '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">&x;</bpmn:definitions>',
    "bomb": '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY e "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">&e;</bpmn:definitions>',
    "not bpmn": '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    "duplicate ids": (bundle("scripted") / "process.bpmn")
    .read_text(encoding="utf-8")
    .replace('id="end"', 'id="enter"'),
}
CODES = {"xxe": "NZ002", "bomb": "NZ002", "not bpmn": "NZ004", "duplicate ids": "NZ010"}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_xml_is_refused_with_its_code_reads_no_file_and_stores_nothing(
    platform: Platform, tmp_path: Path, kind: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7731")
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "process.bpmn").write_text(HOSTILE[kind].replace("{secret}", str(secret)), encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))

    with pytest.raises(DefinitionError) as caught:
        platform.deploy(folder)

    assert caught.value.message.startswith(CODES[kind])
    assert "TOP-SECRET" not in str(caught.value.to_dict())
    assert versions(platform) == 0
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_20_mb_file_is_refused_before_it_is_read(platform: Platform, tmp_path: Path) -> None:
    folder = tmp_path / "huge"
    folder.mkdir()
    with (folder / "process.bpmn").open("wb") as f:
        f.truncate(20 * 1024 * 1024)  # sparse: 20 MB that were never written
    with pytest.raises(DefinitionError) as caught:
        platform.deploy(folder)
    assert caught.value.message.startswith("NZ003")
    assert versions(platform) == 0
    shutil.rmtree(folder)
