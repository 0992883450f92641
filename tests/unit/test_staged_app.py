"""The api starts with its first requests' routes and completes them after its first answer;
no request ever finds a route missing, and the two apps route alike (decision 0124)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.test import Client, EnvironBuilder

from shared.api.app import ROUTE_MODULES
from shared.api.staged_app import FIRST, StagedApp
from shared.bootstrap import Container

SKIP = {"HEAD", "OPTIONS"}


def sample_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "x1", rule)


def routed(app: Flask, method: str, path: str) -> tuple[str, dict[str, object]] | None:
    try:
        return app.url_map.bind("localhost").match(path, method)  # type: ignore[return-value]
    except (HTTPException, RequestRedirect):
        return None


def answer(apps: StagedApp, method: str, path: str) -> tuple[int, dict[str, object]]:
    """One request as functions-framework hands it to the api: routed by the staged app."""
    environ = EnvironBuilder(path=path, method=method).get_environ()
    response = Client(apps.app_for(environ)).open(environ)
    status, body = response.status_code, response.get_json()
    response.close()  # as the server does once the answer is sent
    return status, body


def recorded() -> tuple[list[Callable[[], object]], Callable[[Callable[[], object]], None]]:
    started: list[Callable[[], object]] = []
    return started, started.append


def test_the_first_app_routes_every_request_it_takes_as_the_complete_app_does(
        ports: Container) -> None:
    apps = StagedApp()
    complete = apps.complete()
    first_rules = {(rule.rule, m) for rule in apps.first.url_map.iter_rules()
                   for m in rule.methods or ()}
    all_rules = {(rule.rule, m) for rule in complete.url_map.iter_rules()
                 for m in rule.methods or ()}
    assert first_rules < all_rules
    for rule in complete.url_map.iter_rules():
        for method in (rule.methods or set()) - SKIP:
            path = sample_path(rule.rule)
            took = routed(apps.first, method, path)
            assert took is None or took == routed(complete, method, path), (method, path)
    assert set(FIRST) < set(ROUTE_MODULES)
    # a path is served whole by one app or the other, so even an OPTIONS preflight's Allow
    # (all the path's methods) is the same from the first app
    first_paths = {rule for rule, _ in first_rules}
    assert {(r, m) for r, m in all_rules if r in first_paths} == first_rules


def test_a_route_outside_the_first_modules_is_served_at_once(ports: Container) -> None:
    started, start = recorded()
    apps = StagedApp(start=start)
    status, body = answer(apps, "GET", "/api/admin/features")
    assert (status, body["error"]["code"]) == (401, "unauthorized")  # routed, not a 404
    assert apps.completed


def test_the_complete_app_is_built_after_the_first_answer_and_then_serves(
        ports: Container) -> None:
    started, start = recorded()
    apps = StagedApp(start=start)
    status, body = answer(apps, "GET", "/health")
    assert status == 200 and body["status"] == "ok"
    assert len(started) == 1 and not apps.completed  # asked for, not yet built
    answer(apps, "GET", "/health")
    assert len(started) == 1  # once per instance
    started[0]()  # what the thread runs
    assert apps.completed
    environ = EnvironBuilder(path="/health").get_environ()
    assert apps.app_for(environ) is apps.complete() is not apps.first


def test_an_unknown_path_is_a_json_404_and_a_wrong_method_a_405(ports: Container) -> None:
    apps = StagedApp(start=lambda work: None)
    status, body = answer(apps, "GET", "/api/no-such-thing")
    assert (status, body["error"]["code"]) == (404, "not_found")
    status, body = answer(apps, "DELETE", "/health")
    assert (status, body["error"]["code"]) == (405, "method_not_allowed")


def test_both_apps_count_a_clients_requests_together(ports: Container) -> None:
    apps = StagedApp(start=lambda work: None)
    complete = apps.complete()
    for name in ("chartgenius.buckets", "chartgenius.limits"):
        assert apps.first.extensions[name] is complete.extensions[name]



def test_a_failed_background_build_is_logged_and_left_to_the_next_request(
        ports: Container, caplog: pytest.LogCaptureFixture) -> None:
    started, start = recorded()
    apps = StagedApp(("health_routes",), complete=("health_routes", "no_such_routes"),
                     start=start)
    answer(apps, "GET", "/health")
    started[0]()
    assert not apps.completed
    assert "api routes not completed in the background" in caplog.text
    status, _ = answer(apps, "GET", "/health")  # the first app goes on serving its routes
    assert status == 200
