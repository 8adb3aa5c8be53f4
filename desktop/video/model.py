"""Cameras and active alerts as the video wall sees them, and how alerts map onto cameras.

The wall gets cameras from the server (``GET /api/v1/cameras``) or from a JSON file in the
same shape, and active alerts from ``GET /api/v1/alerts?active=true``. Both arrive as plain
JSON; this module turns them into small immutable values and rejects malformed entries with
a message an administrator can act on, instead of letting one bad row break the wall.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


class CameraConfigError(ValueError):
    """A camera list that cannot be used as given (the message names the entry and field)."""


@dataclass(frozen=True)
class Camera:
    id: str
    name: str
    office: str
    window: str
    main_url: str
    sub_url: str | None = None
    enabled: bool = True

    def stream_url(self, main: bool) -> str:
        """The URL to play: the main stream for a full tile, else the sub stream when there is one."""
        if main or not self.sub_url:
            return self.main_url
        return self.sub_url

    @property
    def place(self) -> str:
        """Office and window as one label, e.g. ``T03 / 窗口 2``."""
        return f"{self.office} / {self.window}" if self.window else self.office


def redact_url(url: str) -> str:
    """The URL without user name and password: stream URLs may carry camera passwords."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid url>"
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _text(entry: Mapping[str, Any], key: str, index: int, required: bool = True) -> str | None:
    value = entry.get(key)
    if value is None or value == "":
        if required:
            raise CameraConfigError(f"camera #{index}: field {key!r} is missing")
        return None
    if not isinstance(value, str | int):
        raise CameraConfigError(f"camera #{index}: field {key!r} must be a string")
    return str(value)


def parse_cameras(data: Any) -> list[Camera]:
    """Cameras from a JSON list (or the server's ``{"cameras": [...]}`` page)."""
    if isinstance(data, Mapping) and "cameras" in data:
        data = data["cameras"]
    if not isinstance(data, list):
        raise CameraConfigError("the camera list must be a JSON list of objects")
    cameras: list[Camera] = []
    seen: set[str] = set()
    for index, entry in enumerate(data):
        if not isinstance(entry, Mapping):
            raise CameraConfigError(f"camera #{index}: must be an object")
        cam_id = _text(entry, "id", index)
        assert cam_id is not None
        if cam_id in seen:
            raise CameraConfigError(f"camera #{index}: id {cam_id!r} appears twice")
        seen.add(cam_id)
        main_url = _text(entry, "main_url", index)
        assert main_url is not None
        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):
            raise CameraConfigError(f"camera #{index}: field 'enabled' must be true or false")
        cameras.append(
            Camera(
                id=cam_id,
                name=_text(entry, "name", index, required=False) or cam_id,
                office=_text(entry, "office", index, required=False) or "",
                window=_text(entry, "window", index, required=False) or "",
                main_url=main_url,
                sub_url=_text(entry, "sub_url", index, required=False),
                enabled=enabled,
            )
        )
    return cameras


def load_cameras_file(path: str | Path) -> list[Camera]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CameraConfigError(f"{path}: not valid JSON ({exc})") from exc
    return parse_cameras(data)


def cameras_to_json(cameras: Iterable[Camera]) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "name": c.name,
            "office": c.office,
            "window": c.window,
            "main_url": c.main_url,
            "sub_url": c.sub_url,
            "enabled": c.enabled,
        }
        for c in cameras
    ]


@dataclass(frozen=True)
class ActiveAlert:
    id: str
    rule: str
    severity: str
    office: str
    case_no: str | None = None
    window: str | None = None
    message: str = ""
    raised_at: str = ""
    evidence: Mapping[str, Any] = field(default_factory=dict)
    # The rule's names as the server sent them (``rule_name``); the tile shows one of them, or
    # the shared rule table's, never the bare code.
    rule_zh: str | None = None
    rule_en: str | None = None

    @property
    def is_red(self) -> bool:
        return self.severity == "red"


def _evidence_window(evidence: Any) -> str | None:
    # Alerts have no window field; rules that know the window put it in the evidence.
    if not isinstance(evidence, Mapping):
        return None
    for key in ("window", "window_id", "counter"):
        value = evidence.get(key)
        if isinstance(value, str | int) and str(value):
            return str(value)
    return None


def parse_alerts(data: Any) -> list[ActiveAlert]:
    """Alerts from ``GET /api/v1/alerts`` (a page ``{"alerts": [...]}`` or a bare list).

    Entries that do not name an office cannot be placed on the wall and are skipped.
    """
    if isinstance(data, Mapping):
        data = data.get("alerts", [])
    if not isinstance(data, list):
        return []
    alerts: list[ActiveAlert] = []
    for entry in data:
        if not isinstance(entry, Mapping):
            continue
        subject = entry.get("subject") or {}
        office = subject.get("office") if isinstance(subject, Mapping) else None
        if not office or entry.get("id") is None:
            continue
        evidence = entry.get("evidence")
        names = entry.get("rule_name")
        names = names if isinstance(names, Mapping) else {}
        alerts.append(
            ActiveAlert(
                id=str(entry["id"]),
                rule=str(entry.get("rule", "")),
                severity=str(entry.get("severity", "")),
                office=str(office),
                case_no=str(subject["case_no"]) if subject.get("case_no") else None,
                window=_evidence_window(evidence),
                message=str(entry.get("message") or ""),
                raised_at=str(entry.get("raised_at") or ""),
                evidence=evidence if isinstance(evidence, Mapping) else {},
                rule_zh=str(names["zh_CN"]) if names.get("zh_CN") else None,
                rule_en=str(names["en"]) if names.get("en") else None,
            )
        )
    return alerts


def alerts_for_camera(camera: Camera, alerts: Sequence[ActiveAlert]) -> list[ActiveAlert]:
    """Red alerts that concern the office/window this camera watches, newest first.

    An alert concerns a camera when its office matches and, if the alert's evidence names a
    window, that window matches too: an office-wide alert lights every window of the office.
    """
    hits = [
        a
        for a in alerts
        if a.is_red and a.office == camera.office and (a.window is None or a.window == camera.window)
    ]
    return sorted(hits, key=lambda a: a.raised_at, reverse=True)
