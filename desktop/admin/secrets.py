"""Writing a secret (an office token) to a file only its owner can read."""

from __future__ import annotations

import os
from pathlib import Path


def write_secret_file(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600, replacing the file (Windows: the user's ACL)."""
    target = Path(path).expanduser()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text + "\n")
    target.chmod(0o600)
