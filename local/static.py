"""The built web app (``web/dist``) as a static site, with the caching Firebase Hosting gets
in production: hashed ``/assets/*`` for a year, ``index.html`` and ``/config.js`` (the
runtime configuration) revalidated on every load. A path that is neither a file nor an API
route is one of the app's own routes and gets ``index.html``."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Response

from local.functions import ROOT

WEB_DIST = ROOT / "web" / "dist"
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"


class StaticApp:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _file(self, path: str) -> Path | None:
        candidate = (self.root / path.lstrip("/")).resolve()
        if candidate.is_relative_to(self.root) and candidate.is_file():
            return candidate
        return None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        found = self._file(path) if path != "/" else None
        if found is None and (path.startswith("/assets/") or "." in path.rsplit("/", 1)[-1]):
            return Response("not found", status=404)(environ, start_response)
        index = self.root / "index.html"
        if found is None and not index.is_file():
            return Response("the web app is not built: run `make web`", status=503,
                            mimetype="text/plain")(environ, start_response)
        target = found or index
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        cache = IMMUTABLE if path.startswith("/assets/") else NO_CACHE
        response = Response(target.read_bytes(), mimetype=kind, headers={"Cache-Control": cache})
        return response(environ, start_response)
