"""A TCP proxy on 127.0.0.1 that cuts every n-th connection, for the bad-link tests.

It forwards raw bytes (TLS passes through untouched; the server's certificate is for
127.0.0.1, which the proxy also is). On every ``every``-th connection it alternates between
two faults: closing mid-request (after ``threshold`` bytes from the client, so the server sees
half a request), and dropping the answer (the whole request reaches the server, which
imports the batch, but the client never sees the summary).
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
from dataclasses import dataclass, field


@dataclass
class CuttingProxy:
    target_port: int
    every: int = 3
    threshold: int = 4000
    connections: int = 0
    cuts: list[tuple[int, str, int]] = field(default_factory=list)  # (connection, "request"|"response", bytes up)

    def __post_init__(self) -> None:
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = int(self._sock.getsockname()[1])
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> CuttingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._sock.close()
        self._thread.join(5)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                n = self.connections
            threading.Thread(target=self._serve, args=(client, n), daemon=True).start()

    def _mode(self, n: int) -> str | None:
        if n % self.every:
            return None
        return "request" if (n // self.every) % 2 else "response"

    def _serve(self, client: socket.socket, n: int) -> None:
        mode = self._mode(n)
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=30)
        except OSError:
            client.close()
            return
        up = 0
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([client, upstream], [], [], 60)
                if not ready:
                    return
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    if s is client:
                        if mode == "request" and up + len(data) > self.threshold:
                            upstream.sendall(data[: self.threshold - up])
                            self._cut(n, "request", self.threshold)
                            return
                        upstream.sendall(data)
                        up += len(data)
                    else:
                        if mode == "response" and up > self.threshold:
                            self._cut(n, "response", up)
                            return
                        client.sendall(data)
        except OSError:
            return
        finally:
            for s in (client, upstream):
                # An abortive close (RST), like a link that just dies.
                with contextlib.suppress(OSError):
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.close()

    def _cut(self, n: int, how: str, up: int) -> None:
        with self._lock:
            self.cuts.append((n, how, up))
