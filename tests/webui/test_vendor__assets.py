"""Front-end files come from npm (``make assets``) and are served from node_modules by an allow-list:
nothing from another host, nothing built committed, nothing else of node_modules exposed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webui import vendor

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "webui" / "templates"


def test_every_served_file_is_installed(app: Flask) -> None:
    with app.app_context():
        assert vendor.missing() == [], "run `make assets` (npm ci)"


@pytest.mark.parametrize("name", sorted(vendor.FILES))
def test_each_listed_file_is_served_with_a_cache_lifetime(client: FlaskClient, name: str) -> None:
    response = client.get(f"/vendor/{name}")
    body = response.get_data()
    response.close()  # the file is streamed from node_modules
    assert response.status_code == 200 and body
    assert "max-age=86400" in response.headers["Cache-Control"]


@pytest.mark.parametrize(
    "name", ["bpmn-js/package.json", "../package.json", "vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf"]
)
def test_nothing_else_of_node_modules_is_served(client: FlaskClient, name: str) -> None:
    assert client.get(f"/vendor/{name}").status_code == 404


def test_templates_reference_only_listed_vendor_files() -> None:
    used = set()
    for template in TEMPLATES.rglob("*.html"):
        used |= set(
            re.findall(r"url_for\('vendor\.asset', name='([^']+)'\)", template.read_text(encoding="utf-8"))
        )
    assert used and used <= vendor.FILES


def test_the_npm_packages_are_pinned_exactly_by_the_lock_file() -> None:
    manifest = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for name, version in manifest["dependencies"].items():
        assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", version), f"{name} is not pinned"
        assert lock[f"node_modules/{name}"]["version"] == version
    assert {"bpmn-js", "bpmn-js-properties-panel", "camunda-bpmn-moddle", "vazirmatn"} <= set(
        manifest["dependencies"]
    )
