"""Evidence blobs on disk (spec 06 §1): received as a stream, hashed while written, renamed
into ``DATA_DIR/evidence/ab/cd/<sha256>`` only when the hash is the one claimed; never changed,
never deleted.

A blob is readable by whoever uploaded it and by whoever may see an entity it is attached to:
each entity that holds evidence registers a :data:`Holders` function (investigations here,
petitions on the desk), and the entity's own ``visible`` rule decides.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from server.context import Context
from server.errors import ApiError
from server.evidence.models import EvidenceUpload
from server.mutations.stores import ServerWorld, evidence_path
from server.uow import unit_of_work
from shared.actions import Actor, kind_of

MAX_BLOB = 100 * 1024 * 1024
#: How much of a body is gathered before it is hashed and written (bounded memory per upload).
WRITE_CHUNK = 1024 * 1024
#: How much of an over-long body is still read (and thrown away) before answering 413, so a
#: client that writes its whole body before reading gets the answer, not a reset connection.
DRAIN_LIMIT = 128 * 1024 * 1024
SHA256 = re.compile(r"^[0-9a-f]{64}$")
PART_SUFFIX = ".part"

Holders = Callable[[Session, str], list[str]]
#: entity -> the ids of its entities a blob is attached to.
HOLDERS: dict[str, Holders] = {}


def register_holder(entity: str, holders: Holders) -> None:
    HOLDERS[entity] = holders


def parse_sha256(text: str) -> str | None:
    value = text.strip().lower()
    return value if SHA256.match(value) else None


def tmp_dir(data_dir: Path) -> Path:
    return data_dir / "evidence" / "tmp"


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    created: bool


async def receive(*, ctx: Context, claimed: str, body: AsyncIterator[bytes], uploader: str) -> StoredBlob:
    """Store the streamed ``body`` as the blob ``claimed`` names, if its hash is that; else
    400 ``HASH_MISMATCH`` (413 past :data:`MAX_BLOB`) and nothing is stored. An upload cut off
    half-way leaves no file behind."""
    data_dir = ctx.settings.data_dir
    tmp = tmp_dir(data_dir)
    await run_in_threadpool(tmp.mkdir, parents=True, exist_ok=True)
    part = tmp / f"{os.getpid()}-{uuid.uuid4().hex}{PART_SUFFIX}"
    hasher = hashlib.sha256()
    size = 0
    too_large = False
    pending: list[bytes] = []
    pending_size = 0
    out = await run_in_threadpool(open, part, "xb")

    def write(chunks: list[bytes]) -> None:
        for chunk in chunks:
            hasher.update(chunk)
            out.write(chunk)

    try:
        async for chunk in body:
            size += len(chunk)
            if size > MAX_BLOB:
                too_large = True
                pending.clear()
                if size > DRAIN_LIMIT:
                    break
                continue
            pending.append(chunk)
            pending_size += len(chunk)
            if pending_size >= WRITE_CHUNK:
                batch, pending, pending_size = pending, [], 0
                await run_in_threadpool(write, batch)
        if too_large:
            raise ApiError(413, "TOO_LARGE", f"evidence files are at most {MAX_BLOB // (1024 * 1024)} MiB")
        await run_in_threadpool(write, pending)
        pending = []
        await run_in_threadpool(_close_synced, out)
        if hasher.hexdigest() != claimed:
            raise ApiError(400, "HASH_MISMATCH", "the body's SHA-256 is not the one in the address; nothing was stored")
        created = await run_in_threadpool(_install, part, evidence_path(data_dir, claimed))
    finally:
        if not out.closed:
            out.close()
        part.unlink(missing_ok=True)
    await run_in_threadpool(_record_upload, ctx, claimed, size, uploader, created)
    return StoredBlob(claimed, size, created)


def _close_synced(out: object) -> None:
    f = out  # a binary file object
    f.flush()  # type: ignore[attr-defined]
    os.fsync(f.fileno())  # type: ignore[attr-defined]
    f.close()  # type: ignore[attr-defined]


def _install(part: Path, final: Path) -> bool:
    """Link the checked file into place; False when the blob was already stored (it never
    changes: a link never replaces an existing file)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(part, 0o444)
    try:
        os.link(part, final)
    except FileExistsError:
        return False
    fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def _record_upload(ctx: Context, sha256: str, size: int, uploader: str, created: bool) -> None:
    with unit_of_work(ctx) as work:
        known = work.session.get(EvidenceUpload, (sha256, uploader))
        if known is None:
            work.session.add(EvidenceUpload(sha256=sha256, username=uploader, size=size, at=work.now))
        work.audit(actor=uploader, action="evidence.upload", entity="evidence", entity_id=sha256,
                   detail={"size": size, "created": created})


def sweep_partial_uploads(data_dir: Path) -> int:
    """Remove what uploads cut off by a crash left behind (their process is gone)."""
    removed = 0
    folder = tmp_dir(data_dir)
    if not folder.is_dir():
        return 0
    for part in folder.glob(f"*{PART_SUFFIX}"):
        pid = part.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        part.unlink(missing_ok=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def may_read(*, ctx: Context, session: Session, actor: Actor, sha256: str) -> bool:
    """Whether ``actor`` uploaded the blob or may see something it is attached to."""
    if session.get(EvidenceUpload, (sha256, actor.name)) is not None:
        return True
    from server.mutations.stores import read_world

    world: ServerWorld = read_world(ctx, session)
    for entity, holders in HOLDERS.items():
        kind = kind_of(entity)
        if kind is None:
            continue
        for entity_id in holders(session, sha256):
            state = world.get(entity, entity_id)
            if state is not None and kind.visible(actor, state, world):
                return True
    return False


# --- the command line: verify, back up, restore -------------------------------------------


def blob_path(root: Path, sha256: str) -> Path:
    """Where a blob lives under an evidence folder (``DATA_DIR/evidence`` or a backup's)."""
    return root / sha256[:2] / sha256[2:4] / sha256


def blobs(root: Path) -> Iterator[Path]:
    """Every blob file under an evidence folder (not its temporary folder)."""
    if not root.is_dir():
        return
    for first in sorted(root.iterdir()):
        if first.name == "tmp" or not first.is_dir():
            continue
        for second in sorted(first.iterdir()):
            if second.is_dir():
                yield from sorted(p for p in second.iterdir() if p.is_file())


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(WRITE_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def verify(root: Path, referenced: set[str] | None = None) -> tuple[int, list[str]]:
    """Re-hash every blob under ``root``: (blobs checked, problems — each naming the file and
    what is wrong). ``referenced`` blobs (attached somewhere) must also be there."""
    problems: list[str] = []
    checked = 0
    present: set[str] = set()
    for path in blobs(root):
        checked += 1
        name = path.name
        present.add(name)
        if parse_sha256(name) != name or blob_path(root, name) != path:
            problems.append(f"{path}: not a blob stored by the server (its name is not where its hash belongs)")
            continue
        actual = file_sha256(path)
        if actual != name:
            problems.append(f"{path}: MISMATCH: content hashes to {actual} (changed after it was stored)")
    for missing in sorted((referenced or set()) - present):
        problems.append(f"{blob_path(root, missing)}: MISSING: attached as evidence but not stored")
    return checked, problems


def copy_blobs(source: Path, target: Path, *, check: bool) -> tuple[int, list[str]]:
    """Copy the blobs under the evidence folder ``source`` that ``target`` lacks (blobs never
    change, so what is there is kept); with ``check``, a blob whose content is not its name is
    not copied and is reported. Returns (copied, problems)."""
    copied = 0
    problems: list[str] = []
    for path in blobs(source):
        name = path.name
        if parse_sha256(name) != name:
            continue
        final = blob_path(target, name)
        if final.exists():
            continue
        if check and file_sha256(path) != name:
            problems.append(f"{path}: content does not match its name; not restored")
            continue
        final.parent.mkdir(parents=True, exist_ok=True)
        part = final.with_name(final.name + PART_SUFFIX)
        shutil.copyfile(path, part)
        os.chmod(part, 0o444)
        os.replace(part, final)
        copied += 1
    return copied, problems
