"""Where the console keeps its per-user files (never in the install folder, spec 05).

``%LOCALAPPDATA%\\Yingyan`` on Windows, ``~/.local/share/yingyan`` elsewhere;
``YINGYAN_DATA_DIR`` overrides it (tests, portable installs) — the same rule as the video
wall's evidence folder, so one override moves everything.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path


def user_data_dir() -> Path:
    override = os.environ.get("YINGYAN_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "Yingyan"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "yingyan"


def replica_path(server_url: str, username: str) -> Path:
    """One replica per server and user: what a user may see depends on their role."""
    key = hashlib.sha256(f"{server_url.rstrip('/').lower()}|{username}".encode()).hexdigest()[:16]
    safe_user = "".join(ch for ch in username if ch.isalnum() or ch in "-_.")[:32] or "user"
    return user_data_dir() / "replica" / f"{safe_user}-{key}.sqlite3"
