#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/e2e/test_web.py drives
# /usr/bin/chromium through Playwright; `playwright install` cannot download here).
# Idempotent and quiet on success; run by `make test-deps`. Needs root (or sudo).
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "install_browser: run as root to apt-get install chromium" >&2
    exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { "${SUDO[@]}" apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq chromium; } \
        >"$log" 2>&1; then
    cat "$log" >&2
    echo "install_browser: apt-get install chromium failed" >&2
    exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "install_browser: chromium installed but $CHROMIUM is missing" >&2
    exit 1
fi
