"""Evidence files kept on this computer: attached offline, or fetched so a case opens offline.

A file is kept under its SHA-256 beside the replica (``<replica>.evidence/ab/<sha256>``),
copied while it is hashed and renamed into place only when complete, so a half-copied file is
never taken for evidence. ``evidence_files`` (declared with the investigations' table)
remembers each kept file and whether the server has it yet: a file attached offline is
uploaded before its ``attach`` mutation is replayed (``blobs_to_upload``). Nothing here
trusts a kept file: ``verify`` hashes it again every time a case file is about to show it,
and a file whose bytes no longer match is never called verified.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.replica.schema import ReplicaFile

#: the table of kept files is declared with the investigations' (``investigations.DDL``)

#: the server's limit (spec 06 §1): a bigger file is refused here, before it is copied
MAX_FILE = 100 * 1024 * 1024
CHUNK = 1024 * 1024

VERIFIED = "verified"
MISMATCH = "mismatch"
MISSING = "missing"

Progress = Callable[[int, int], None]


class EvidenceFileError(ValueError):
    """A file that cannot be attached (missing, not a file, too large, unreadable)."""


def cache_dir(db: ReplicaFile) -> Path:
    return db.path.with_name(db.path.stem + ".evidence")


def cached_path(db: ReplicaFile, sha256: str) -> Path:
    return cache_dir(db) / sha256[:2] / sha256


def _write_hashed(db: ReplicaFile, chunks: Any, total: int, progress: Progress | None,
                  expect: str | None = None) -> tuple[str, int]:
    """Copy ``chunks`` into the cache while hashing; renamed to its hash when complete."""
    folder = cache_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".incoming-{os.getpid()}-{time.monotonic_ns()}"
    digest = hashlib.sha256()
    size = 0
    try:
        with tmp.open("wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > MAX_FILE:
                    raise EvidenceFileError(f"evidence files are at most {MAX_FILE // (1024 * 1024)} MiB")
                digest.update(chunk)
                out.write(chunk)
                if progress is not None:
                    progress(size, total)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        if expect is not None and sha != expect:
            raise EvidenceFileError(f"the bytes received hash to {sha}, not {expect}")
        final = cached_path(db, sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        return sha, size
    finally:
        tmp.unlink(missing_ok=True)


def keep_file(db: ReplicaFile, source: Path, progress: Progress | None = None) -> tuple[str, int]:
    """Copy a file the investigator chose into the cache: (sha256, size). Raises ``EvidenceFileError``."""
    try:
        if not source.is_file():
            raise EvidenceFileError(f"not a file: {source}")
        total = source.stat().st_size
        if total > MAX_FILE:
            raise EvidenceFileError(f"evidence files are at most {MAX_FILE // (1024 * 1024)} MiB")
        with source.open("rb") as f:
            sha, size = _write_hashed(db, iter(lambda: f.read(CHUNK), b""), total, progress)
    except OSError as exc:
        raise EvidenceFileError(f"cannot read {source.name}: {exc.strerror or exc}") from exc
    with db.writing() as conn:
        conn.execute("INSERT INTO evidence_files (sha256, size, filename, uploaded, kept_at) VALUES (?, ?, ?, 0, ?)"
                     " ON CONFLICT(sha256) DO NOTHING", (sha, size, source.name[:255], time.time()))
    return sha, size


def keep_bytes(db: ReplicaFile, sha256: str, content: bytes) -> None:
    """Keep bytes fetched from the server, refusing them unless they hash to ``sha256``."""
    _write_hashed(db, [content[i:i + CHUNK] for i in range(0, len(content), CHUNK)], len(content), None,
                  expect=sha256)
    with db.writing() as conn:
        conn.execute("INSERT INTO evidence_files (sha256, size, filename, uploaded, kept_at) VALUES (?, ?, NULL, 1, ?)"
                     " ON CONFLICT(sha256) DO UPDATE SET uploaded = 1", (sha256, len(content), time.time()))


def verify(db: ReplicaFile, sha256: str) -> str:
    """Hash the kept file again: ``verified``, ``mismatch`` (its bytes changed) or ``missing``."""
    path = cached_path(db, sha256)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return MISSING
    except OSError:
        return MISMATCH  # unreadable is not verified
    return VERIFIED if digest.hexdigest() == sha256 else MISMATCH


def mark_uploaded(db: ReplicaFile, sha256: str) -> None:
    with db.writing() as conn:
        conn.execute("UPDATE evidence_files SET uploaded = 1 WHERE sha256 = ?", (sha256,))


def blobs_to_upload(conn: sqlite3.Connection, mutations: Sequence[dict[str, Any]]) -> list[str]:
    """The files the ``attach`` mutations about to be sent name that the server may not have yet."""
    wanted = [str((m.get("data") or {}).get("sha256")) for m in mutations if m.get("action") == "attach"]
    if not wanted:
        return []
    found = conn.execute(f"SELECT sha256 FROM evidence_files WHERE uploaded = 0 AND sha256 IN "  # noqa: S608
                         f"({', '.join('?' * len(wanted))})", wanted).fetchall()
    have = {r[0] for r in found}
    return [s for s in dict.fromkeys(wanted) if s in have]


def forget_unheld(db: ReplicaFile, held: Callable[[sqlite3.Connection], set[str]]) -> list[str]:
    """Delete the kept files no case held here names any more (an investigator taken off a
    case must not keep its evidence on a laptop), except those the server has not got yet.
    Returns the hashes forgotten."""
    with db.writing() as conn:
        names = held(conn)
        gone = [r[0] for r in conn.execute("SELECT sha256 FROM evidence_files WHERE uploaded = 1")
                if r[0] not in names]
        conn.executemany("DELETE FROM evidence_files WHERE sha256 = ?", [(sha,) for sha in gone])
    for sha in gone:
        # After the commit: a file is never gone while its row still promises it.
        cached_path(db, sha).unlink(missing_ok=True)
    return gone


def kept(conn: sqlite3.Connection, shas: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The kept files among ``shas``: sha256 → {size, uploaded}."""
    if not shas:
        return {}
    rows = conn.execute(f"SELECT sha256, size, uploaded FROM evidence_files WHERE sha256 IN "  # noqa: S608
                        f"({', '.join('?' * len(shas))})", list(shas)).fetchall()
    return {r[0]: {"size": r[1], "uploaded": bool(r[2])} for r in rows}
