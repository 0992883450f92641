#!/usr/bin/env bash
# Builds the web app (web/) into web/dist: `npm ci` when package-lock.json changed, then
# `tsc --noEmit && vite build` when the lock or any web source changed. Both steps are
# skipped when their stamp (a hash of their inputs) matches, so `make run` stays quick.
# Run by `make web` (and so by `make run` and `make test`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEB="$ROOT/web"
cd "$WEB"

if ! command -v npm >/dev/null 2>&1; then
    echo "build_web: Node 20 and npm are needed (apt-get install -y nodejs npm)" >&2
    exit 1
fi

hash_of() {
    # content hash of the named files and directories (sorted, stable across machines)
    find "$@" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

lock_hash="$(hash_of package-lock.json package.json)"
if [ ! -f node_modules/.ci-stamp ] || [ "$(cat node_modules/.ci-stamp)" != "$lock_hash" ]; then
    log="$(mktemp)"
    if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "build_web: npm ci failed" >&2
        exit 1
    fi
    rm -f "$log"
    echo "$lock_hash" > node_modules/.ci-stamp
fi

source_hash="$(hash_of package-lock.json index.html vite.config.ts tsconfig.json src public)"
if [ -f dist/.build-stamp ] && [ "$(cat dist/.build-stamp)" = "$source_hash" ]; then
    exit 0
fi
log="$(mktemp)"
if ! { npx --no-install tsc --noEmit && npx --no-install vite build; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "build_web: the web build failed" >&2
    exit 1
fi
rm -f "$log"
echo "$source_hash" > dist/.build-stamp
