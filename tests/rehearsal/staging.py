"""Stage the functions exactly as ``deploy.sh --build-only`` does and run them in their own venvs.

- ``build_archives`` runs ``deploy.sh --build-only`` and unpacks each zip into a folder: the
  files the Cloud Functions build receives, nothing else (no repo on ``sys.path``). Then it does
  to the folder what the build does to the source: the Python buildpack's ``compileall -f .``
  with the build environment Terraform gives (``infra/modules/function/build_env.json``), and
  the image export's mtime of 1980-01-01T00:00:01Z on every file.
- ``function_venv`` installs the archive's ``requirements.txt`` (its lock) alone into a fresh
  Python 3.12 venv with uv (``--require-hashes``, ``sync``), cached under
  ``.tools/rehearsal/<name>-<sha of the lock>``: a lock that changes gets a new venv.
- ``start`` runs ``functions-framework`` (gunicorn, as the runtime does) with a clean
  environment and its own ``XDG_RUNTIME_DIR`` (gunicorn's control socket).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.rehearsal.production import gunicorn_env

ROOT = Path(__file__).resolve().parents[2]
BUILD_ENV = ROOT / "infra" / "modules" / "function" / "build_env.json"
IMAGE_MTIME = 315532801  # what the buildpacks' image export gives every file (1980-01-01T00:00:01Z)
VENVS = ROOT / ".tools" / "rehearsal"
UV = ROOT / ".tools" / "uv" / "bin" / "uv"
RUNTIME_PYTHON = os.environ.get(
    "CHARTGENIUS_RUNTIME_PYTHON", str(Path.home() / ".pyenv/versions/3.12.1/bin/python3.12"))
START_TIMEOUT = 120.0


class StagingFailed(RuntimeError):
    """A function could not be built, installed or started; the message has the output."""


def build_archives(out: Path) -> dict[str, Path]:
    """name -> the unpacked archive, built by ``deploy.sh --build-only``."""
    build = out / "build"
    result = subprocess.run(
        ["bash", str(ROOT / "deploy.sh"), "--build-only", "--skip-web"], cwd=ROOT,
        capture_output=True,
        text=True, env={**os.environ, "BUILD_DIR": str(build)}, timeout=120, check=False)
    if result.returncode != 0:
        raise StagingFailed(f"deploy.sh --build-only failed:\n{result.stderr[-3000:]}")
    staged = {}
    for archive in sorted((build / "functions").glob("*.zip")):
        name = archive.stem.rsplit("-", 1)[0]
        folder = out / "staged" / name
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(folder)
        build_like_cloud_functions(folder)
        staged[name] = folder
    return staged


def build_like_cloud_functions(folder: Path) -> None:
    """The source as the function's image holds it: byte-compiled by the buildpack (which runs
    ``python3 -m compileall -f -q .`` in the build environment), every mtime then normalized."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           **json.loads(BUILD_ENV.read_text())}
    result = subprocess.run([RUNTIME_PYTHON, "-m", "compileall", "-f", "-q", "."], cwd=folder,
                            env=env, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        raise StagingFailed(f"compileall failed in {folder.name}:\n{result.stdout[-3000:]}")
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (IMAGE_MTIME, IMAGE_MTIME))


def function_venv(name: str, staged: Path) -> Path:
    lock = staged / "requirements.txt"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()[:16]
    venv = VENVS / f"{name}-{digest}"
    if (venv / ".complete").exists():
        return venv
    for stale in VENVS.glob(f"{name}-*"):  # an older lock's venv
        shutil.rmtree(stale, ignore_errors=True)
    if not Path(RUNTIME_PYTHON).exists():
        raise StagingFailed(f"no Python 3.12 at {RUNTIME_PYTHON} (set CHARTGENIUS_RUNTIME_PYTHON)")
    if not UV.exists():
        raise StagingFailed(f"uv is not installed at {UV}; run `make test-deps`")
    for command in (
        [str(UV), "venv", "--quiet", "--python", RUNTIME_PYTHON, str(venv)],
        [str(UV), "pip", "sync", "--quiet", "--require-hashes", "--python",
         str(venv / "bin" / "python"), str(lock)],
    ):
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        if result.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            raise StagingFailed(f"{name}: {' '.join(command[:3])} failed:\n{result.stderr[-3000:]}")
    (venv / ".complete").write_text(digest)
    return venv


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Running:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_file: Path
    folder: Path  # the staged source it runs

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")

    def interrupt(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown

    def stop(self) -> None:
        self.interrupt()
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start(name: str, staged: Path, venv: Path, env: dict[str, str], work: Path) -> Running:
    """functions-framework for ``name`` on a free port, in the staged folder only."""
    port = free_port()
    runtime_dir = work / f"xdg-{name}"
    runtime_dir.mkdir(parents=True, exist_ok=True)
    log_file = work / f"{name}.log"
    clean = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(work),
             "XDG_RUNTIME_DIR": str(runtime_dir), "PORT": str(port), "K_SERVICE": name,
             **gunicorn_env(name), **env}
    with open(log_file, "wb") as log:
        process = subprocess.Popen(
            [str(venv / "bin" / "functions-framework"), f"--target={name}",
             "--source=main.py", "--host=127.0.0.1", f"--port={port}"],
            cwd=staged, env=clean, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT)
    return Running(name, process, port, log_file, staged)


def wait_until_listening(running: Running, timeout: float = START_TIMEOUT,
                         poll_seconds: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise StagingFailed(f"{running.name} exited:\n{running.log()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", running.port), timeout=1):
                return
        except OSError:
            time.sleep(poll_seconds)
    raise StagingFailed(f"{running.name} did not listen in {timeout} s:\n{running.log()[-3000:]}")


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = 60) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def post_json(url: str, payload: object, headers: dict[str, str] | None = None) -> tuple[int, str]:
    return post(url, json.dumps(payload).encode(),
                {"Content-Type": "application/json", **(headers or {})})
