"""Lock files: compile every requirements*.in into its exact, hashed requirements*.txt.

    python scripts/lock.py            # `make lock`: recompile every lock (needs the index)
    python scripts/lock.py --verify   # offline: every lock matches its inputs (make test)
    python scripts/lock.py --check    # recompile into a temporary folder and diff (needs the index)

The root lock (requirements.txt, the union of the functions' inputs) is compiled first; every
other lock is compiled with it as a constraint, so a package has one version everywhere. Each
lock starts with the sha256 of its inputs (the .in files it reads, the root lock for the
constrained ones, the uv version and the options), which --verify recomputes without the index.
Decision 0110 says why and how to add a dependency.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UV = ROOT / ".tools" / "uv" / "bin" / "uv"
ROOT_LOCK = "requirements.txt"
# --universal: one lock serves the 3.11 development machines and the 3.12 runtime, on any
# platform (markers decide); 3.11 is the lowest version it must serve.
OPTIONS = ["--universal", "--generate-hashes", "--python-version", "3.11", "--quiet"]
HEADER = "# inputs-sha256: "
_INCLUDE = re.compile(r"^\s*-(r|c)\s+(\S+)")


def lock_pairs() -> list[tuple[Path, Path]]:
    """(input, lock) pairs, root first: the others are constrained by the root lock."""
    pairs = [(ROOT / "requirements.in", ROOT / ROOT_LOCK)]
    for source in sorted((ROOT / "functions").glob("*/requirements.in")):
        pairs.append((source, source.with_suffix(".txt")))
    for name in ("requirements-dev", "requirements-uv"):
        pairs.append((ROOT / f"{name}.in", ROOT / f"{name}.txt"))
    return pairs


def constrained(lock: Path) -> bool:
    return lock.name != "requirements-uv.txt" and lock != ROOT / ROOT_LOCK


def input_files(source: Path) -> list[Path]:
    """The .in file and every file it includes with -r / -c, recursively."""
    seen: list[Path] = []
    pending = [source.resolve()]
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.append(path)
        for line in path.read_text().splitlines():
            match = _INCLUDE.match(line)
            if match:
                pending.append((path.parent / match.group(2)).resolve())
    return sorted(seen)


def uv_version() -> str:
    pin = (ROOT / "requirements-uv.in").read_text()
    match = re.search(r"^uv==(\S+)", pin, re.MULTILINE)
    if not match:
        raise SystemExit("lock: requirements-uv.in must pin uv==<version>")
    return match.group(1)


def inputs_digest(source: Path, lock: Path) -> str:
    digest = hashlib.sha256()
    digest.update(f"uv {uv_version()} {' '.join(OPTIONS)}\n".encode())
    files = input_files(source) + ([ROOT / ROOT_LOCK] if constrained(lock) else [])
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(body_of(path) if path.suffix == ".txt" else path.read_bytes())
    return digest.hexdigest()


def body_of(lock: Path) -> bytes:
    """A lock without its inputs line (what another lock depends on)."""
    lines = lock.read_text().splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith(HEADER)).encode()


def compile_lock(source: Path, lock: Path, out: Path) -> None:
    command = [str(UV), "pip", "compile", *OPTIONS, "--custom-compile-command", "make lock"]
    if constrained(lock):
        command += ["--constraint", str(ROOT / ROOT_LOCK)]
    command += [str(source.relative_to(ROOT)), "-o", str(out)]
    subprocess.run(command, cwd=ROOT, check=True)  # noqa: S603 - our own uv, fixed arguments
    digest = inputs_digest(source, lock)
    out.write_text(f"{HEADER}{digest}\n" + out.read_text())


def recorded_digest(lock: Path) -> str | None:
    if not lock.is_file():
        return None
    first = lock.read_text().split("\n", 1)[0]
    return first[len(HEADER):] if first.startswith(HEADER) else None


def stale_locks() -> list[str]:
    return [
        lock.relative_to(ROOT).as_posix()
        for source, lock in lock_pairs()
        if recorded_digest(lock) != inputs_digest(source, lock)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--verify", action="store_true", help="offline: locks match their inputs")
    mode.add_argument("--check", action="store_true", help="recompile and diff (needs the index)")
    args = parser.parse_args()
    if args.verify:
        stale = stale_locks()
        for name in stale:
            print(f"lock: {name} does not match its inputs; run `make lock`", file=sys.stderr)
        return 1 if stale else 0
    if args.check:
        return check()
    for source, lock in lock_pairs():
        compile_lock(source, lock, lock)
        print(f"lock: {lock.relative_to(ROOT)}", file=sys.stderr)
    return 0


def check() -> int:
    """Recompiles every lock beside a copy and reports the ones that differ."""
    differ = []
    with tempfile.TemporaryDirectory() as tmp:
        for source, lock in lock_pairs():
            out = Path(tmp) / lock.relative_to(ROOT).as_posix().replace("/", "_")
            compile_lock(source, lock, out)
            if out.read_text() != lock.read_text():
                differ.append(lock.relative_to(ROOT).as_posix())
    for name in differ:
        print(f"lock: {name} is not what `make lock` produces now", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
