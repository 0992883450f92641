"""Hosting the web app (decision 0075): the runtime config and headers deploy.sh writes from
the Terraform outputs, the Firebase Hosting release it makes, and the Terraform that names
what the release reads. No cloud: the release runs against a fake Hosting API session."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("web_hosting", ROOT / "scripts" / "web_hosting.py")
assert _spec and _spec.loader
hosting = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hosting)

API = "https://api-abc123-ew.a.run.app/"
OUTPUTS = {  # the shape of `terraform output -json`
    "api_url": {"value": API, "type": "string", "sensitive": False},
    "web_url": {"value": "https://p1-web.web.app", "type": "string", "sensitive": False},
    "web_site_id": {"value": "p1-web", "type": "string", "sensitive": False},
    "telegram_bot_username": {"value": "@ChartGeniusBot", "sensitive": False},
    "web_config": {"sensitive": True, "value": {"api_key": "AIzaKey", "app_id": "1:2:web:3",
                                                "auth_domain": "p1.firebaseapp.com",
                                                "project_id": "p1"}},
}


def _config() -> dict[str, Any]:
    return hosting.runtime_config(hosting._values(OUTPUTS))


def test_the_runtime_config_is_production_from_the_outputs() -> None:
    config = _config()
    assert config == {
        "apiBase": "https://api-abc123-ew.a.run.app", "live": "firestore", "devLogin": False,
        "telegramBotUsername": "ChartGeniusBot",
        "firebase": {"apiKey": "AIzaKey", "authDomain": "p1.firebaseapp.com",
                     "projectId": "p1", "appId": "1:2:web:3"}}
    script = hosting.config_js(config).decode()
    assignment = re.search(r"window\.CHARTGENIUS_CONFIG = (\{.*\});\s*$", script, re.S)
    assert assignment and json.loads(assignment.group(1)) == config


def test_the_csp_connects_only_to_the_api_and_firebase() -> None:
    policy = dict(part.split(" ", 1) for part in hosting.content_security_policy(_config())
                  .split("; "))
    assert policy["connect-src"].split() == [
        "'self'", "https://api-abc123-ew.a.run.app", "https://identitytoolkit.googleapis.com",
        "https://securetoken.googleapis.com", "https://firestore.googleapis.com"]
    assert policy["frame-ancestors"] == "'self' https://web.telegram.org"  # Mini App frames
    assert policy["object-src"] == "'none'" and "unsafe" not in str(policy)
    with pytest.raises(ValueError, match="https"):
        hosting.content_security_policy({**_config(), "apiBase": "http://api.example"})


def test_hashed_assets_are_immutable_and_everything_else_revalidates() -> None:
    config = hosting.serving_config(_config())
    general, assets = config["headers"]  # Hosting applies the later rule where both match
    assert (general["glob"], general["headers"]["Cache-Control"]) == ("**", "no-cache")
    assert assets == {"glob": "/assets/**", "headers": {
        "Cache-Control": "public, max-age=31536000, immutable"}}
    assert "Content-Security-Policy" in general["headers"]
    assert config["rewrites"] == [{"glob": "**", "path": "/index.html"}]  # SPA deep links


def _dist(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><script src=/config.js></script>")
    (dist / "config.js").write_text("window.CHARTGENIUS_CONFIG = {devLogin: true};")
    (dist / "assets" / "index-3f9a1c.js").write_text("console.log(1)")
    (dist / "assets" / "same-a.css").write_text("a{}")
    (dist / "assets" / "same-b.css").write_text("a{}")
    return dist


class FakeHosting:
    """The Firebase Hosting REST API as far as a release uses it; knows one file already."""

    def __init__(self, known: bytes) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.uploaded: dict[str, bytes] = {}
        self.known = known

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        self.calls.append((method, url.replace(hosting.HOSTING, ""), kwargs))
        body: dict[str, Any] = {}
        if url.endswith("/versions"):
            body = {"name": "sites/p1-web/versions/v1", "status": "CREATED"}
        elif url.endswith(":populateFiles"):
            wanted = [h for h in kwargs["json"]["files"].values() if h != self.known]
            body = {"uploadRequiredHashes": wanted, "uploadUrl": "https://upload.example/v1"}
        elif url.startswith("https://upload.example/"):
            self.uploaded[url.rsplit("/", 1)[1]] = kwargs["data"]
        return _Reply(body)


class _Reply:
    def __init__(self, body: dict[str, Any]) -> None:
        self.status_code, self.text = 200, json.dumps(body)
        self.content = self.text.encode()

    def json(self) -> dict[str, Any]:
        return dict(json.loads(self.text))


def test_a_release_uploads_what_hosting_lacks_then_finalizes_and_releases(tmp_path) -> None:
    config = _config()
    files = hosting.site_files(_dist(tmp_path), config)
    assert json.loads(files["/config.js"].decode().split("= ", 1)[1].rstrip(";\n")) == config
    known = hosting.gzipped({"/index.html": files["/index.html"]})["/index.html"][0]
    api = FakeHosting(known)
    assert hosting.release(api, "p1-web", files, config) == "sites/p1-web/versions/v1"
    steps = [(method, url.split("?")[0]) for method, url, _ in api.calls]
    assert steps[:2] == [("POST", "/sites/p1-web/versions"),
                         ("POST", "/sites/p1-web/versions/v1:populateFiles")]
    assert steps[-2:] == [("PATCH", "/sites/p1-web/versions/v1"),
                          ("POST", "/sites/p1-web/releases")]
    assert api.calls[0][2]["json"]["config"] == hosting.serving_config(config)
    assert api.calls[-2][2]["json"] == {"status": "FINALIZED"}
    assert api.calls[-1][2]["params"] == {"versionName": "sites/p1-web/versions/v1"}
    sent = sorted(gzip.decompress(blob) for blob in api.uploaded.values())
    # index.html was known; the two identical stylesheets are one upload
    assert sent == sorted([b"a{}", b"console.log(1)", files["/config.js"]])
    listed = api.calls[1][2]["json"]["files"]
    assert set(listed) == {"/index.html", "/config.js", "/assets/index-3f9a1c.js",
                           "/assets/same-a.css", "/assets/same-b.css"}


def test_a_dry_run_writes_the_config_and_a_missing_build_is_a_clear_error(tmp_path) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps(OUTPUTS))
    dist = _dist(tmp_path)
    assert hosting.main(["--outputs", str(outputs), "--dist", str(dist), "--dry-run"]) == 0
    assert '"live": "firestore"' in (dist / "config.js").read_text()
    with pytest.raises(FileNotFoundError, match="build the web app"):
        hosting.main(["--outputs", str(outputs), "--dist", str(tmp_path / "none")])


# -- what Terraform and deploy.sh provide for it ----------------------------------------------
def _tf(name: str) -> str:
    return (ROOT / "infra" / "envs" / "prod" / name).read_text()


def test_terraform_outputs_what_the_release_reads() -> None:
    outputs = set(re.findall(r'^output "(\w+)"', _tf("outputs.tf"), re.M))
    assert {"api_url", "web_url", "web_site_id", "web_config", "telegram_bot_username"} <= outputs
    block = _tf("outputs.tf").split('output "web_config"')[1].split("\n}\n")[0]
    assert set(re.findall(r"^\s+(\w+)\s+=", block, re.M)) >= {"api_key", "auth_domain",
                                                             "project_id", "app_id"}


def test_terraform_hosts_the_app_with_firebase_auth_and_cors_for_its_origins() -> None:
    web = _tf("web.tf")
    for resource in ("google_firebase_project", "google_firebase_web_app",
                     "google_firebase_hosting_site", "google_identity_platform_config"):
        assert f'resource "{resource}"' in web
    assert 'data "google_firebase_web_app_config"' in web
    apis = set(re.findall(r'"([a-z]+\.googleapis\.com)"', _tf("main.tf")))
    assert {"firebase.googleapis.com", "firebasehosting.googleapis.com",
            "identitytoolkit.googleapis.com", "securetoken.googleapis.com"} <= apis
    assert "concat(local.web_origins, var.cors_origins)" in _tf("functions.tf")
    assert 'source  = "hashicorp/google-beta"' in _tf("versions.tf")


def test_deploy_builds_the_app_and_releases_it_with_the_outputs() -> None:
    deploy = (ROOT / "deploy.sh").read_text()
    assert "npm ci --no-audit --no-fund --loglevel=error && npm run build" in deploy
    assert "tf output -json" in deploy and "scripts/web_hosting.py" in deploy
    assert "--skip-web" in deploy
