#!/usr/bin/env bash
# Installs a lock file into a virtualenv with uv, exactly (hashes required), and only when the
# lock changed: the sha256 of the lock is kept in <venv>/.lock-<name>.sha256.
#
#   scripts/install_lock.sh LOCK VENV [--python PYTHON] [--sync] [--stamp FILE]
#
#   --python  the interpreter that creates VENV when it does not exist (default: python3)
#   --sync    remove what the lock does not list (a staged function's venv); default: add only
#   --stamp   also touch FILE once installed (the Makefile's targets)
# uv itself comes from requirements-uv.txt (pip --require-hashes) into .tools/uv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCK="$1"
VENV="$2"
shift 2
PYTHON=python3
SYNC=0
STAMP=""
while (($#)); do
  case "$1" in
    --python) PYTHON="$2"; shift ;;
    --sync) SYNC=1 ;;
    --stamp) STAMP="$2"; shift ;;
    *) echo "install_lock: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

UV="$ROOT/.tools/uv/bin/uv"
if [[ ! -x "$UV" ]]; then
  python3 -m venv "$ROOT/.tools/uv"
  if [[ -f "$ROOT/requirements-uv.txt" ]]; then
    "$ROOT/.tools/uv/bin/pip" install --quiet --disable-pip-version-check --require-hashes \
      -r "$ROOT/requirements-uv.txt"
  else # the very first `make lock`, before requirements-uv.txt exists
    "$ROOT/.tools/uv/bin/pip" install --quiet --disable-pip-version-check \
      "$(grep -E '^uv==' "$ROOT/requirements-uv.in")"
  fi
fi
[[ "$LOCK" == uv-only ]] && exit 0

[[ -x "$VENV/bin/python" ]] || "$UV" venv --quiet --seed --python "$PYTHON" "$VENV"
MARK="$VENV/.lock-$(echo "$LOCK" | tr '/' '_').sha256"
WANT="$(sha256sum "$LOCK" | cut -d' ' -f1)"
if [[ "$(cat "$MARK" 2>/dev/null)" != "$WANT" ]]; then
  if ((SYNC)); then
    "$UV" pip sync --quiet --require-hashes --python "$VENV/bin/python" "$LOCK"
  else
    "$UV" pip install --quiet --require-hashes --python "$VENV/bin/python" -r "$LOCK"
  fi
  echo "$WANT" >"$MARK"
fi
[[ -z "$STAMP" ]] || touch "$STAMP"
