"""The OpenAPI document describes every /api/v1 route, method and schema it refers to."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from webui.api import openapi

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def api_routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in (rule.methods or set()) - IGNORED_METHODS
    }


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


def test_every_api_route_and_method_is_described(app: Flask, client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert api_routes(app) == described


def test_the_document_is_openapi_3_1_with_bearer_auth(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert document["security"] == [{"bearerAuth": []}]
    assert document["paths"]["/api/v1/openapi.json"]["get"]["security"] == []


def test_the_error_schema_is_the_rendered_shape() -> None:
    error = openapi.document()["components"]["schemas"]["Error"]
    assert error["required"] == ["ok", "code", "error", "status"]


def test_every_reference_resolves_and_every_operation_is_unique() -> None:
    document = openapi.document()
    for ref in refs(document):
        node: Any = document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
    operations = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(operations) == len(set(operations))


def test_path_parameters_are_declared(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    for path, item in document["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for operation in item.values():
            declared = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert declared == names, (path, operation["operationId"])
