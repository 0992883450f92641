"""``python -m local``: serve the whole system on http://127.0.0.1:$PORT (default 8080)."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from werkzeug.serving import BaseWSGIServer, make_server

from local.host import Host
from local.seed import seed
from local.telegram_sink import messenger_for
from shared import log
from shared.bootstrap import Container, container


def build_server(ports: Container, host_name: str, port: int) -> tuple[BaseWSGIServer, Host]:
    """The seeded, started local system behind a threaded HTTP server (not yet serving)."""
    host = Host(ports)
    if ports.settings.telegram_api_base is None:  # telegram: the bot talks to the local sink
        client_host = "127.0.0.1" if host_name in ("0.0.0.0", "") else host_name  # noqa: S104
        ports.override(messenger=messenger_for(f"http://{client_host}:{port}", ports.secrets))
    seed(ports)
    host.start()
    return make_server(host_name, port, host, threaded=True), host


def main() -> int:
    log.setup()
    port = int(os.environ.get("PORT", "8080"))
    host_name = os.environ.get("HOST", "127.0.0.1")
    # the bot's "Open full analysis" and menu buttons open this host's web app
    os.environ.setdefault("CHARTGENIUS_WEB_BASE_URL", f"http://{host_name}:{port}")
    ports = container()
    server, host = build_server(ports, host_name, port)
    stopping = threading.Event()

    def shutdown(*_: object) -> None:
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    logging.getLogger("local").info(
        "ChartGenius is running",
        extra={"url": f"http://{host_name}:{port}", "data_dir": str(ports.settings.data_dir)},
    )
    sys.stderr.write(f"\n  ChartGenius: http://{host_name}:{port}\n\n")
    server.serve_forever()
    host.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
