"""Loads libvlc once per process and says what this libvlc can play.

On Windows the bundled VLC must be located before ``import vlc`` (``desktop.vlc_locate``).
Debian's libvlc is built without live555, so it has no RTSP client: the wall checks the
plugin folder at start-up and marks RTSP cameras *unsupported* with an install hint rather
than showing a black tile that retries for ever.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# libvlc options shared by every tile. Cameras carry no useful audio in a monitoring
# centre; a short network cache keeps the picture live and makes stalls visible quickly.
INSTANCE_OPTIONS = (
    "--quiet",
    "--no-audio",
    "--no-video-title-show",
    "--no-osd",
    "--no-spu",
    "--no-snapshot-preview",
    "--no-xlib",
    "--network-caching=500",
    "--live-caching=300",
    # Debian's libvlc reads 16 MiB ahead per HTTP stream and keeps the ring buffer touched:
    # 16 tiles would hold 256 MiB of video nobody will ever seek back into.
    "--prefetch-buffer-size=2048",
    "--prefetch-read-size=65536",
)

# Per-media options for small tiles: one decoder thread is plenty for a sub stream, and
#: frame threading would add threads and buffered frames for every tile on the wall.
SUB_STREAM_OPTIONS = (":avcodec-threads=1",)

_lock = threading.Lock()
_instance: Any = None


def import_vlc() -> Any:
    """``import vlc`` after letting ``desktop.vlc_locate`` point it at a bundled libvlc."""
    try:
        from desktop import vlc_locate  # type: ignore[attr-defined,unused-ignore]

        vlc_locate.prepare()
    except ImportError:
        pass
    import vlc

    return vlc


def vout_option() -> list[str]:
    # Plain X11 output: Xvfb and remote X have no GPU, and GL via llvmpipe costs far more CPU.
    override = os.environ.get("YINGYAN_VLC_VOUT")
    if override:
        return [f"--vout={override}"]
    if sys.platform.startswith("linux"):
        return ["--vout=xcb_x11"]
    return []


class _GlibcMemory:
    """Keeps glibc's malloc from hoarding memory that libvlc has already freed.

    Every (re)connection starts decoder, demux and output threads; glibc hands busy threads
    new arenas and keeps each arena's freed memory. Measured here: restarting one stream
    grew RSS by ~8 MB per restart without bound, while the same run with two arenas, or with
    ``malloc_trim`` after restarts, stayed flat. So: cap the arenas before libvlc starts its
    threads, and trim (at most every few seconds) after a player let go of a stream.
    """

    M_ARENA_MAX = -8

    def __init__(self) -> None:
        self._libc: Any = None
        self._last_trim = 0.0
        if sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL("libc.so.6")
                libc.malloc_trim  # noqa: B018 - only glibc has it
                self._libc = libc
            except (OSError, AttributeError):
                self._libc = None

    def limit_arenas(self, count: int = 4) -> None:
        if self._libc is not None:
            self._libc.mallopt(self.M_ARENA_MAX, count)

    def trim(self, min_interval: float = 5.0) -> None:
        if self._libc is None:
            return
        now = time.monotonic()
        with _lock:
            if now - self._last_trim < min_interval:
                return
            self._last_trim = now
        self._libc.malloc_trim(0)


memory = _GlibcMemory()


def instance() -> Any:
    """The process-wide ``vlc.Instance`` (created on first use)."""
    global _instance
    with _lock:
        if _instance is None:
            memory.limit_arenas()
            vlc = import_vlc()
            extra = os.environ.get("YINGYAN_VLC_ARGS", "").split()
            _instance = vlc.Instance([*INSTANCE_OPTIONS, *vout_option(), *extra])
            if _instance is None:
                raise OSError("libvlc could not start (vlc.Instance returned None)")
        return _instance


def _loaded_libvlc_path() -> Path | None:
    maps = Path("/proc/self/maps")
    if not maps.exists():
        return None
    for line in maps.read_text(errors="replace").splitlines():
        path = line.split()[-1] if line.split() else ""
        if "/libvlc.so" in path:
            return Path(path)
    return None


def plugin_dirs() -> list[Path]:
    """Where this process's libvlc looks for plugins."""
    dirs: list[Path] = []
    env = os.environ.get("VLC_PLUGIN_PATH") or os.environ.get("PYTHON_VLC_MODULE_PATH")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    try:
        vlc = import_vlc()
        plugin_path = getattr(vlc, "plugin_path", None)
        if plugin_path:
            dirs.append(Path(plugin_path))
    except (ImportError, OSError):
        pass
    lib = _loaded_libvlc_path()
    if lib is not None:
        dirs.append(lib.parent / "vlc" / "plugins")
    for guess in ("/usr/lib/x86_64-linux-gnu/vlc/plugins", "/usr/lib/aarch64-linux-gnu/vlc/plugins",
                  "/usr/lib/vlc/plugins", "/usr/lib64/vlc/plugins"):
        dirs.append(Path(guess))
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d not in seen:
            seen.append(d)
    return seen


@dataclass(frozen=True)
class Capabilities:
    """What the loaded libvlc can open; ``rtsp`` is None when it could not be told."""

    rtsp: bool | None
    plugin_dir: str | None

    def unsupported_reason(self, url: str) -> str | None:
        """Why ``url`` cannot play here (a sentence for the operator), or None when it can."""
        scheme = urlsplit(url).scheme.lower()
        if scheme in {"rtsp", "rtsps", "rtspt"} and self.rtsp is False:
            return "rtsp"
        return None


_caps: Capabilities | None = None


def capabilities() -> Capabilities:
    global _caps
    if _caps is None:
        _caps = detect_capabilities(plugin_dirs())
    return _caps


def detect_capabilities(dirs: list[Path]) -> Capabilities:
    """Look for the live555 access plugin (the only RTSP client libvlc 3 has)."""
    if not dirs:
        return Capabilities(rtsp=None, plugin_dir=None)
    for d in dirs:
        for pattern in ("liblive555_plugin.*", "live555_plugin.*", "liblive555_plugin.so*"):
            if any(d.rglob(pattern)):
                return Capabilities(rtsp=True, plugin_dir=str(d))
    return Capabilities(rtsp=False, plugin_dir=str(dirs[0]))
