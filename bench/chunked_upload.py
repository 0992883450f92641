"""Peak memory of the local host while three clients each stream a 300 MB chunked body
(``Transfer-Encoding: chunked``, no token) to ``/api/auth/dev``: the body limit must refuse
each upload on the stream, so the peak stays near the idle size.

Prints the idle RSS, the peak RSS (the kernel's high-water mark, VmHWM) and each answer."""

from __future__ import annotations

import http.client
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.local_system import local_process  # noqa: E402

UPLOADS = 3
SIZE = 300 * 1024 * 1024
PIECE = 64 * 1024


def memory(pid: int, field: str) -> float:
    """A /proc/<pid>/status field in MB (VmRSS now, VmHWM peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def pieces(size: int) -> Iterator[bytes]:
    block = b"[" + b"1," * (PIECE // 2 - 1)
    for _ in range(max(1, size // PIECE)):
        yield block


def upload(url: str, answers: list[str], size: int = SIZE) -> None:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    started = time.perf_counter()
    try:
        connection.request("POST", "/api/auth/dev", body=pieces(size), encode_chunked=True,
                           headers={"Content-Type": "application/json",
                                    "Transfer-Encoding": "chunked"})
        response = connection.getresponse()
        answers.append(f"{response.status} after {time.perf_counter() - started:.2f} s")
    except OSError as exc:  # the server closes the connection once it has refused
        answers.append(f"closed after {time.perf_counter() - started:.2f} s ({type(exc).__name__})")
    finally:
        connection.close()


def main() -> None:
    with local_process() as (url, pid):
        warm: list[str] = []
        upload(url, warm, size=PIECE)  # first requests import what the API needs
        idle = memory(pid, "VmRSS")
        answers: list[str] = []
        threads = [threading.Thread(target=upload, args=(url, answers)) for _ in range(UPLOADS)]
        peak = idle
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            peak = max(peak, memory(pid, "VmRSS"))
            time.sleep(0.005)
        sys.stdout.write(
            f"{UPLOADS} parallel chunked uploads of {SIZE >> 20} MB, no token: "
            f"RSS before {idle:.0f} MB, peak during {peak:.0f} MB (process high-water mark "
            f"since start {memory(pid, 'VmHWM'):.0f} MB); answers: "
            f"{', '.join(sorted(answers))}\n")


if __name__ == "__main__":
    main()
