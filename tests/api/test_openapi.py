"""The OpenAPI document: served, well-formed, and covering every API route."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from tests.api.support import OPENAPI


def test_document_is_served_with_this_servers_address(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["openapi"] == "3.1.0"
    assert body["servers"] == [{"url": "http://localhost/api/v1"}]
    assert body["paths"] == OPENAPI["paths"]
    assert body["components"] == OPENAPI["components"]


def test_component_schemas_are_valid_json_schema() -> None:
    for schema in OPENAPI["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)  # raises SchemaError naming the fault


def test_every_reference_resolves() -> None:
    text = repr(OPENAPI)
    names = set(re.findall(r"#/components/schemas/(\w+)", text))
    assert names <= set(OPENAPI["components"]["schemas"]), names


def test_every_api_route_is_documented_and_nothing_else(app: Flask) -> None:
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert routes == set(OPENAPI["paths"])
    methods: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            methods.setdefault(path, set()).update(m.lower() for m in rule.methods or ())
    for path, item in OPENAPI["paths"].items():
        assert set(item) == methods[path] - {"head", "options"}, path
        for method, operation in item.items():
            documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert documented == set(re.findall(r"{(\w+)}", path)), (path, method)
            success = "204" if method == "delete" else ("201" if method == "post" else "200")
            assert success in operation["responses"], (path, method)


def test_token_operations_require_the_bearer_scheme() -> None:
    scheme = OPENAPI["components"]["securitySchemes"]["apiToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    secured = sorted(
        (path, method)
        for path, item in OPENAPI["paths"].items()
        for method, operation in item.items()
        if operation.get("security") == [{"apiToken": []}]
    )
    assert secured == [
        ("/events/{slug}/releases", "post"),
        ("/events/{slug}/slots", "get"),
        ("/events/{slug}/slots", "post"),
        ("/events/{slug}/slots/{slot_id}", "delete"),
        ("/events/{slug}/slots/{slot_id}", "patch"),
        ("/events/{slug}/submissions", "get"),
    ]
