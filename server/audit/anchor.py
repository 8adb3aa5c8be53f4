"""The audit chain's head, anchored outside the database.

The hash chain shows any altered or removed entry *inside* it, but not entries cut off its end:
a chain truncated after entry N is a valid chain of N entries. So every commit that appends
audit entries also records the newest ``(seq, hash)`` in ``DATA_DIR/audit-head.json`` (signed
with the data key, which is not in the database either), and ``verify-audit`` checks that the
chain still reaches that entry with that hash. Someone who can change the database but not the
server's data directory (a database administrator, a stolen backup put back) can no longer
delete the newest entries unnoticed.

The head only moves forward (across threads and processes: a lock file), a crash between a commit
and its head write leaves the head one commit behind (still checked, just less far), and a
backup carries the head it was taken with, so a restore verifies.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from server.security import DataKey

HEAD_FILE = "audit-head.json"
BACKUP_META_KEY = "audit.head"
"""In a SQLite backup, the head it was taken with (a row of its ``meta`` table)."""


class AnchorInvalid(ValueError):
    """The head file is not one this server wrote (altered, or signed with another data key)."""


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


def _mac(key: DataKey, seq: int, digest: str) -> str:
    return key.digest(f"yingyan-audit-head:{seq}:{digest}".encode())


def encode(key: DataKey, head: Head) -> str:
    return orjson.dumps({"seq": head.seq, "hash": head.hash, "mac": _mac(key, head.seq, head.hash)}).decode()


def decode(key: DataKey, text: str) -> Head:
    try:
        data = orjson.loads(text)
        head = Head(int(data["seq"]), str(data["hash"]))
        mac = str(data["mac"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise AnchorInvalid("the audit head is not readable") from None
    if mac != _mac(key, head.seq, head.hash):
        raise AnchorInvalid("the audit head's signature does not match this server's data key")
    return head


class AuditAnchor:
    """``DATA_DIR/audit-head.json``: read, moved forward after commits, reset by a restore."""

    def __init__(self, data_dir: Path, key: DataKey):
        self.path = data_dir / HEAD_FILE
        self._lockfile = data_dir / (HEAD_FILE + ".lock")
        self.key = key
        self._thread_lock = threading.Lock()

    def read(self) -> Head | None:
        """The recorded head, or None if there is no head file. Raises ``AnchorInvalid``."""
        try:
            text = self.path.read_text()
        except FileNotFoundError:
            return None
        return decode(self.key, text)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock, open(self._lockfile, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, head: Head) -> None:
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(encode(self.key, head))
        tmp.replace(self.path)

    def advance(self, head: Head) -> None:
        """Record ``head`` unless a later one is already recorded (commits finish in any order)."""
        with self._locked():
            try:
                current = self.read()
            except AnchorInvalid:
                return  # left for verify-audit to report; never "repaired" by writing over it
            if current is None or head.seq > current.seq:
                self._write(head)

    def reset(self, head: Head) -> None:
        """Record ``head`` whatever was recorded: after a restore, or when starting on a database
        that never had an anchor (trust on first use)."""
        with self._locked():
            self._write(head)
