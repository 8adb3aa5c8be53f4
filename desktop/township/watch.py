"""``yingyan sync watch DIR``: pick up export files as the township system drops them.

The folder is polled (network shares and Windows' "export to folder" do not reliably raise
file-system events). A file is taken only once it has stopped growing — same size and
modification time for ``settle`` seconds, and readable — so a half-written export is never
imported. Each file's SHA-256 is remembered in the outbox database: the same content is
processed once, whatever its name; a changed file is processed again (its unchanged rows
are recognised by their record ids and not queued twice).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.township.outbox import Outbox
from desktop.township.readers import SUFFIXES

IGNORED_PREFIXES = ("~$", ".", "~")
IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial")


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float


@dataclass
class Outcome:
    path: Path
    sha256: str
    processed: bool
    message: str = ""


def candidate(path: Path) -> bool:
    name = path.name
    return (path.is_file() and path.suffix.lower() in SUFFIXES and not name.startswith(IGNORED_PREFIXES)
            and not name.lower().endswith(IGNORED_SUFFIXES))


class Watcher:
    """Decides which files in a folder are complete and new; ``process`` imports one."""

    def __init__(self, box: Outbox, directory: Path, process: Callable[[Path], int | None], *, settle: float = 2.0,
                 clock: Callable[[], float] = time.monotonic):
        self.box = box
        self.directory = directory
        self.process = process
        self.settle = settle
        self.clock = clock
        self._seen: dict[Path, _Seen] = {}
        self._done: dict[Path, tuple[int, int]] = {}

    def scan(self) -> list[Outcome]:
        """One look at the folder; processes every file that has settled and is new."""
        now = self.clock()
        outcomes: list[Outcome] = []
        present = set()
        for path in sorted(self.directory.iterdir()):
            if not candidate(path):
                continue
            present.add(path)
            try:
                st = path.stat()
            except OSError:
                continue
            sig = (st.st_size, st.st_mtime_ns)
            if self._done.get(path) == sig:
                continue  # unchanged since we handled it
            seen = self._seen.get(path)
            if seen is None or (seen.size, seen.mtime_ns) != sig:
                self._seen[path] = _Seen(st.st_size, st.st_mtime_ns, now)
                continue  # new or still growing: look again later
            if now - seen.since < self.settle or st.st_size == 0:
                continue
            try:
                sha = _sha256(path)
            except OSError:  # still locked by the program writing it (Windows)
                continue
            self._done[path] = sig
            del self._seen[path]
            if self.box.seen_hash(sha):
                outcomes.append(Outcome(path, sha, False, "already processed (same content)"))
                self.box.remember_file(path, sha, st.st_size, None)
                continue
            try:
                upload_id = self.process(path)
            except Exception as exc:  # a bad file must not stop the watch; it is reported
                outcomes.append(Outcome(path, sha, False, str(exc)))
                self.box.remember_file(path, sha, st.st_size, None)
                continue
            self.box.remember_file(path, sha, st.st_size, upload_id)
            outcomes.append(Outcome(path, sha, True))
        for gone in set(self._seen) - present:
            del self._seen[gone]
        return outcomes


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
