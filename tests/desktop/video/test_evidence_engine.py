"""Evidence snapshots (content-addressed, verified on reopen) and libvlc capability detection."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest

from desktop.video.engine import detect_capabilities
from desktop.video.evidence import EvidenceStore, EvidenceTampered

PNG = b"\x89PNG\r\n\x1a\n" + b"fake picture body"


def test_snapshot_is_stored_under_its_sha256_with_a_sidecar(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    record = store.add(PNG, camera_id="c1", camera_name="窗口一", office="T03", window="1",
                       operator="张三", alert_id="A1", case_no="2026-0000123")
    digest = hashlib.sha256(PNG).hexdigest()
    assert record.sha256 == digest
    assert (tmp_path / f"{digest}.png").read_bytes() == PNG
    meta = json.loads((tmp_path / f"{digest}.json").read_text(encoding="utf-8"))
    assert meta["camera_id"] == "c1"
    assert meta["operator"] == "张三"
    assert meta["alert_id"] == "A1"
    assert meta["case_no"] == "2026-0000123"
    assert meta["taken_at"]
    assert store.list() == [digest]


def test_an_altered_snapshot_is_refused_on_reopen(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    record = store.add(PNG, camera_id="c1", operator="op")
    picture = store.picture_path(record.sha256)
    picture.chmod(0o644)
    picture.write_bytes(PNG + b"edited")
    with pytest.raises(EvidenceTampered, match="altered"):
        store.open(record.sha256)


def test_only_png_is_accepted(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="PNG"):
        EvidenceStore(tmp_path).add(b"GIF89a", camera_id="c1", operator="op")


def test_rtsp_support_is_read_from_the_plugin_folder(tmp_path: Path) -> None:
    without = tmp_path / "debian" / "plugins"
    (without / "access").mkdir(parents=True)
    (without / "access" / "libhttp_plugin.so").touch()
    caps = detect_capabilities([without])
    assert caps.rtsp is False
    assert caps.unsupported_reason("rtsp://cam/1") == "rtsp"
    assert caps.unsupported_reason("http://cam/1") is None

    full = tmp_path / "windows" / "plugins"
    (full / "access").mkdir(parents=True)
    (full / "access" / "liblive555_plugin.dll").touch()
    assert detect_capabilities([full]).rtsp is True
    assert detect_capabilities([]).rtsp is None


def test_reconnect_backoff_grows_is_capped_and_jittered() -> None:
    from desktop.video.player import ReconnectPolicy

    policy = ReconnectPolicy(backoff_base=0.5, backoff_cap=4.0, jitter=0.25)
    rng = random.Random(7)
    delays = [[policy.delay(a, rng) for _ in range(200)] for a in range(8)]
    means = [sum(d) / len(d) for d in delays]
    assert means[0] < means[1] < means[2] < means[3], "grows exponentially at first"
    assert all(max(d) <= 4.0 * 1.25 for d in delays), "never waits longer than the cap plus jitter"
    assert all(min(d) >= 0.5 * 0.75 for d in delays)
    assert len({round(x, 3) for x in delays[7]}) > 50, "jitter spreads tiles apart"
