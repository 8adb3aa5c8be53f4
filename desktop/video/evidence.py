"""Tile snapshots kept as evidence: content-addressed PNGs with a JSON sidecar.

A picture is stored under its SHA-256 (``<sha256>.png``) next to ``<sha256>.json`` saying
which camera, when, by which operator and for which alert/case it was taken. Reopening a
snapshot recomputes the hash, so a picture that was altered after it was taken is refused
rather than shown as evidence.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_SHA = re.compile(r"[0-9a-f]{64}")


class EvidenceTampered(ValueError):
    """The stored picture does not match the hash it was stored under."""


@dataclass(frozen=True)
class EvidenceRecord:
    sha256: str
    camera_id: str
    camera_name: str
    office: str
    window: str
    taken_at: str
    operator: str
    alert_id: str | None = None
    case_no: str | None = None
    source: str = "libvlc-snapshot"
    size_bytes: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class EvidenceStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def picture_path(self, sha256: str) -> Path:
        return self.root / f"{sha256}.png"

    def sidecar_path(self, sha256: str) -> Path:
        return self.root / f"{sha256}.json"

    def add(
        self,
        png: bytes,
        *,
        camera_id: str,
        camera_name: str = "",
        office: str = "",
        window: str = "",
        operator: str,
        alert_id: str | None = None,
        case_no: str | None = None,
        source: str = "libvlc-snapshot",
        taken_at: datetime | None = None,
    ) -> EvidenceRecord:
        """Store ``png`` and its sidecar; returns the record (idempotent for the same bytes)."""
        if not png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise ValueError("evidence snapshots must be PNG images")
        digest = hashlib.sha256(png).hexdigest()
        when = (taken_at or datetime.now(UTC)).astimezone()
        record = EvidenceRecord(
            sha256=digest,
            camera_id=camera_id,
            camera_name=camera_name,
            office=office,
            window=window,
            taken_at=when.isoformat(timespec="seconds"),
            operator=operator,
            alert_id=alert_id,
            case_no=case_no,
            source=source,
            size_bytes=len(png),
        )
        self.root.mkdir(parents=True, exist_ok=True)
        picture = self.picture_path(digest)
        if not picture.exists():
            self._write_atomic(picture, png)
        sidecar = self.sidecar_path(digest)
        if not sidecar.exists():
            # The first sidecar wins: the same picture taken again does not rewrite history.
            self._write_atomic(sidecar, json.dumps(record.to_json(), ensure_ascii=False, indent=2).encode())
        return self.open(digest)[1]

    def open(self, sha256: str) -> tuple[bytes, EvidenceRecord]:
        """The picture and its record, after checking the picture still has its hash."""
        if not _SHA.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 name: {sha256!r}")
        png = self.picture_path(sha256).read_bytes()
        actual = hashlib.sha256(png).hexdigest()
        if actual != sha256:
            raise EvidenceTampered(f"snapshot {sha256} was altered: its content now hashes to {actual}")
        meta = json.loads(self.sidecar_path(sha256).read_text(encoding="utf-8"))
        if meta.get("sha256") != sha256:
            raise EvidenceTampered(f"sidecar of {sha256} names another picture ({meta.get('sha256')})")
        record = EvidenceRecord(**{k: meta.get(k) for k in EvidenceRecord.__dataclass_fields__ if k in meta})
        return png, record

    def list(self) -> list[str]:
        return sorted(p.stem for p in self.root.glob("*.png") if _SHA.fullmatch(p.stem))

    @staticmethod
    def _write_atomic(path: Path, data: bytes) -> None:
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        # Evidence is read-only once stored.
        path.chmod(0o444)
