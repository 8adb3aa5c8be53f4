"""The server's resident memory while it receives a 100 MiB evidence upload (spec 06 §1).

A real server; the client streams the body from a generator (so the client's own memory
says nothing about the server's). A sampler reads the server process's VmRSS from /proc
every 5 ms. Reported: resident memory before, the peak during, and the growth, for a 1 MiB
upload (the baseline, in the same run) and a 100 MiB one; then the time of each.

    .venv/bin/python bench/evidence_upload.py
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import ssl
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import start_server
from tests.harness import ServerProcess

MiB = 1024 * 1024
BLOCK = os.urandom(MiB)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def body(mib: int, salt: bytes) -> Iterator[bytes]:
    """``mib`` MiB, the first bytes salted so that every upload is a new blob."""
    yield salt + BLOCK[len(salt):]
    for _ in range(mib - 1):
        yield BLOCK


def digest(mib: int, salt: bytes) -> str:
    h = hashlib.sha256()
    for chunk in body(mib, salt):
        h.update(chunk)
    return h.hexdigest()


def upload(server: ServerProcess, mib: int) -> tuple[int, int, int, float]:
    """(RSS before, peak RSS during, HTTP status, seconds) for one upload of ``mib`` MiB."""
    assert server.proc is not None
    pid = server.proc.pid
    salt = os.urandom(16)
    sha = digest(mib, salt)
    before = rss_kib(pid)
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_kib(pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    conn = http.client.HTTPSConnection("127.0.0.1", server.port,
                                       context=ssl.create_default_context(cafile=str(server.ca_file)), timeout=300)
    t0 = time.perf_counter()
    conn.request("PUT", f"/api/v1/evidence/{sha}", body=body(mib, salt),
                 headers={"Authorization": f"Bearer {server.admin_token}", "Content-Type": "application/octet-stream",
                          "Content-Length": str(mib * MiB)})
    r = conn.getresponse()
    answer = json.loads(r.read())
    seconds = time.perf_counter() - t0
    done.set()
    sampler.join()
    assert r.status == 201, (r.status, answer)
    assert answer["size"] == mib * MiB, answer
    return before, peak[0], r.status, seconds


def main() -> int:
    load = os.getloadavg()[0]
    server = start_server()
    try:
        upload(server, 1)  # warm: first request, imports, thread pool
        rows = []
        for mib in (1, 100, 1, 100):
            before, peak, _, seconds = upload(server, mib)
            rows.append((mib, before, peak, seconds))
        print(f"load average {load:.1f} at start; server pid {server.proc.pid if server.proc else '?'}")
        print("| upload | RSS before | peak RSS during | growth | time |")
        print("|---|---|---|---|---|")
        for mib, before, peak, seconds in rows:
            print(f"| {mib} MiB | {before / 1024:.1f} MB | {peak / 1024:.1f} MB | {(peak - before) / 1024:.1f} MB "
                  f"| {seconds:.2f} s |")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
