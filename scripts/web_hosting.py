"""Releases the built web app (web/dist) to its Firebase Hosting site (decision 0075).

deploy.sh runs it after ``terraform apply`` with the environment's Terraform outputs:

    python scripts/web_hosting.py --outputs .build/outputs.json --dist web/dist

1. the runtime configuration (``/config.js``) is written from the outputs — API base URL,
   Firebase web config, bot username, ``live: "firestore"``, ``devLogin: false`` — so one
   build serves every environment;
2. the Hosting configuration: every path ``no-cache`` (index.html, /config.js, deep links the
   SPA rewrite answers with index.html), hashed ``/assets/**`` ``public, max-age=31536000,
   immutable`` (the later header rule wins on Hosting), and a Content-Security-Policy whose
   ``connect-src`` names exactly the API origin and the Firebase endpoints;
3. a Hosting version is created, its files are gzipped and uploaded by SHA-256 (only those
   Hosting does not have yet), finalized and released. Credentials are the deployer's
   application default credentials.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

HOSTING = "https://firebasehosting.googleapis.com/v1beta1"
IMMUTABLE = "public, max-age=31536000, immutable"
# The Firebase JS SDK's endpoints: Auth (custom token sign-in, token refresh) and Firestore.
FIREBASE_ORIGINS = ("https://identitytoolkit.googleapis.com",
                    "https://securetoken.googleapis.com", "https://firestore.googleapis.com")
# Telegram serves the Login Widget script and its frame; web.telegram.org frames Mini Apps.
TELEGRAM = {"script": "https://telegram.org", "frame": "https://oauth.telegram.org",
            "ancestor": "https://web.telegram.org"}


class Session(Protocol):
    """The part of ``google.auth.transport.requests.AuthorizedSession`` used here."""

    def request(self, method: str, url: str, **kwargs: Any) -> Any: ...


def runtime_config(outputs: dict[str, Any]) -> dict[str, Any]:
    """The web app's ``window.CHARTGENIUS_CONFIG`` for this environment."""
    web = outputs["web_config"]
    return {
        "apiBase": str(outputs["api_url"]).rstrip("/"),
        "live": "firestore",
        "devLogin": False,
        "telegramBotUsername": str(outputs["telegram_bot_username"]).lstrip("@"),
        "firebase": {"apiKey": web["api_key"], "authDomain": web["auth_domain"],
                     "projectId": web["project_id"], "appId": web["app_id"]},
    }


def config_js(config: dict[str, Any]) -> bytes:
    body = json.dumps(config, indent=2, sort_keys=True)
    return (f"// Written by deploy.sh (scripts/web_hosting.py); not cached.\n"
            f"window.CHARTGENIUS_CONFIG = {body};\n").encode()


def origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        raise ValueError(f"the API base URL must be https://host, not {url!r}")
    return f"https://{parts.netloc}"


def content_security_policy(config: dict[str, Any]) -> str:
    connect = " ".join(["'self'", origin(config["apiBase"]), *FIREBASE_ORIGINS])
    return "; ".join([
        "default-src 'self'", f"script-src 'self' {TELEGRAM['script']}", "style-src 'self'",
        f"img-src 'self' data: blob: https://t.me {TELEGRAM['script']}", "font-src 'self'",
        f"connect-src {connect}", f"frame-src {TELEGRAM['frame']}",
        f"frame-ancestors 'self' {TELEGRAM['ancestor']}", "object-src 'none'",
        "base-uri 'none'", "form-action 'none'",
    ])


def serving_config(config: dict[str, Any]) -> dict[str, Any]:
    """Hosting's ServingConfig. Header rules: the general one first, assets last (wins)."""
    every = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
             "Referrer-Policy": "strict-origin-when-cross-origin",
             "Content-Security-Policy": content_security_policy(config)}
    return {
        "headers": [{"glob": "**", "headers": every},
                    {"glob": "/assets/**", "headers": {"Cache-Control": IMMUTABLE}}],
        "rewrites": [{"glob": "**", "path": "/index.html"}],
        "cleanUrls": False,
    }


def site_files(dist: Path, config: dict[str, Any]) -> dict[str, bytes]:
    """``/path`` → content: the build, with /config.js replaced by this environment's."""
    if not (dist / "index.html").is_file():
        raise FileNotFoundError(f"{dist}/index.html is missing: build the web app first")
    files = {"/" + p.relative_to(dist).as_posix(): p.read_bytes()
             for p in sorted(dist.rglob("*")) if p.is_file()}
    files["/config.js"] = config_js(config)
    return files


def gzipped(files: dict[str, bytes]) -> dict[str, tuple[str, bytes]]:
    """``/path`` → (sha256 of the gzip, gzip); mtime 0 so equal files hash equally."""
    packed = {}
    for path, data in files.items():
        blob = gzip.compress(data, mtime=0)
        packed[path] = (hashlib.sha256(blob).hexdigest(), blob)
    return packed


def _call(session: Session, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
    response = session.request(method, url, **kwargs)
    if response.status_code >= 400:
        raise RuntimeError(f"{method} {url} answered {response.status_code}: "
                           f"{response.text[:500]}")
    return response.json() if response.content else {}


def release(session: Session, site: str, files: dict[str, bytes],
            config: dict[str, Any]) -> str:
    """Create, fill, finalize and release a version; returns its name."""
    version = _call(session, "POST", f"{HOSTING}/sites/{site}/versions",
                    json={"config": serving_config(config)})["name"]
    packed = gzipped(files)
    answer = _call(session, "POST", f"{HOSTING}/{version}:populateFiles",
                   json={"files": {path: digest for path, (digest, _) in packed.items()}})
    wanted = set(answer.get("uploadRequiredHashes", []))
    for digest, blob in {d: b for d, b in packed.values() if d in wanted}.items():
        _call(session, "POST", f"{answer['uploadUrl']}/{digest}", data=blob,
              headers={"Content-Type": "application/octet-stream"})
    _call(session, "PATCH", f"{HOSTING}/{version}", params={"update_mask": "status"},
          json={"status": "FINALIZED"})
    _call(session, "POST", f"{HOSTING}/sites/{site}/releases",
          params={"versionName": version}, json={})
    return str(version)


def _session(project: str) -> Session:
    import google.auth
    from google.auth.transport.requests import AuthorizedSession

    credentials, _ = google.auth.default(scopes=[
        "https://www.googleapis.com/auth/cloud-platform",
        "https://www.googleapis.com/auth/firebase"])
    if hasattr(credentials, "with_quota_project"):
        credentials = credentials.with_quota_project(project)
    return AuthorizedSession(credentials)  # type: ignore[no-untyped-call]


def _values(raw: dict[str, Any]) -> dict[str, Any]:
    """``terraform output -json`` wraps every output as {"value", "type", "sensitive"}."""
    return {k: v["value"] if isinstance(v, dict) and "value" in v else v
            for k, v in raw.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outputs", type=Path, required=True,
                        help="terraform output -json of the environment")
    parser.add_argument("--dist", type=Path, required=True, help="the built web app")
    parser.add_argument("--dry-run", action="store_true",
                        help="write dist/config.js and print the Hosting config only")
    args = parser.parse_args(argv)
    outputs = _values(json.loads(args.outputs.read_text()))
    config = runtime_config(outputs)
    files = site_files(args.dist, config)
    (args.dist / "config.js").write_bytes(files["/config.js"])
    if args.dry_run:
        sys.stdout.write(json.dumps(serving_config(config), indent=2) + "\n")
        return 0
    site = str(outputs["web_site_id"])
    version = release(_session(outputs["web_config"]["project_id"]), site, files, config)
    sys.stderr.write(f"web_hosting: released {version} ({len(files)} files) to "
                     f"{outputs['web_url']}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
