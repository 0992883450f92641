"""Every route the API serves is in its OpenAPI document, and every error leaves as JSON."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask, url_for

from shared.api import openapi
from shared.api.app import LazyBuilderRule, create_app
from shared.api.routes import DECLARED, route
from shared.bootstrap import Container

SKIP = {"HEAD", "OPTIONS"}


def served(app: Flask) -> set[tuple[str, str]]:
    return {(method, openapi._PARAM.sub(r"{\1}", rule.rule))
            for rule in app.url_map.iter_rules() for method in (rule.methods or ()) - SKIP}


def documented(spec: dict[str, object]) -> set[tuple[str, str]]:
    paths: dict[str, dict[str, object]] = spec["paths"]  # type: ignore[assignment]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def test_the_spec_lists_exactly_the_routes_flask_serves(ports: Container) -> None:
    app = create_app()
    spec = app.test_client().get("/api/openapi.json").get_json()
    assert served(app) == documented(spec)
    assert ("GET", "/api/market/price") in served(app)  # once missing from the hand-written table
    assert ("GET", "/api/analysis/{analysis_id}/chart.png") in documented(spec)
    assert not any("static" in path for _, path in served(app))


def test_a_route_added_without_a_declaration_breaks_the_spec(ports: Container) -> None:
    app = create_app()
    app.add_url_rule("/api/sneaky", "sneaky", lambda: "hi")
    with pytest.raises(openapi.UndeclaredRoute, match="/api/sneaky"):
        openapi.build(app)


def test_the_declared_role_is_checked_before_the_handler_and_shown_in_the_spec(
        ports: Container) -> None:
    reached: list[str] = []
    bp = Blueprint("probe", __name__)

    @route(bp, "GET", "/api/probe-admin", "probe", role="admin")
    def probe_admin() -> str:
        reached.append("admin")
        return "{}"

    try:
        app = create_app()
        app.register_blueprint(bp)
        answer = app.test_client().get("/api/probe-admin")
        assert answer.status_code == 401 and reached == []
        op = openapi.build(app)["paths"]["/api/probe-admin"]["get"]
        assert op["security"] == [{"bearer": []}] and "Admins only" in op["summary"]
    finally:
        DECLARED.pop("probe.probe_admin")


def test_framework_errors_are_json_and_405_says_what_is_allowed(ports: Container) -> None:
    client = create_app().test_client()
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.is_json
    assert missing.get_json()["error"]["code"] == "not_found"
    wrong = client.delete("/api/analysis")
    assert wrong.status_code == 405 and wrong.is_json
    assert set(wrong.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert client.get("/static/app.py").status_code == 404


def test_every_declared_body_and_query_model_is_in_the_spec(ports: Container) -> None:
    app = create_app()
    spec = openapi.build(app)
    schemas = spec["components"]["schemas"]
    for op in DECLARED.values():
        if op.body is not None:
            assert op.body.__name__ in schemas
    params = spec["paths"]["/api/admin/users"]["get"]["parameters"]
    role = next(p for p in params if p["name"] == "role")["schema"]
    ref = role["anyOf"][0]["$ref"].rsplit("/", 1)[-1]
    assert ref in schemas  # enum query parameters resolve inside the document


def test_urls_build_as_werkzeug_builds_them(ports: Container) -> None:
    """The rules' builders are compiled on first use (LazyBuilderRule); the URLs are the same."""
    app = create_app()
    with app.test_request_context():
        assert url_for("health.health") == "/health"
        assert url_for("watch.read", item_id="a1") == "/api/watch/a1"
        assert url_for("watch.read", item_id="a2", page="3") == "/api/watch/a2?page=3"
        assert url_for("watch.read", item_id="a3") == "/api/watch/a3"  # the compiled one
    assert all(isinstance(rule, LazyBuilderRule) for rule in app.url_map.iter_rules())
