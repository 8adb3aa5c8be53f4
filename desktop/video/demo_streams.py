"""Looping test and demo camera streams: ffmpeg makes labelled clips, cvlc serves them as HTTP-TS.

Used by the wall's tests, the soak and CPU benches, and ``yingyan demo``. Debian's libvlc
has no RTSP client, so streams are MPEG-TS over HTTP (``http://127.0.0.1:PORT/cam``).
cvlc refuses to run as root, so as root it runs as ``nobody``; the clips therefore live in
a world-readable folder. Servers die with the process that started them. Clips are generated, never shipped.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.video.model import Camera

# Where every X server puts its socket and lock: fixed by X11, not chosen by us.
X11_SOCKETS = Path("/tmp/.X11-unix")  # noqa: S108
X11_LOCKS = Path("/tmp")  # noqa: S108

# Labels are Chinese ("窗口 3"): a font without CJK glyphs burns □□ into the picture, so the
# CJK fonts come first (setup.sh installs fonts-noto-cjk; Windows has Microsoft YaHei). The
# Latin-only ones are a last resort for machines without any CJK font.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
    "C:/Windows/Fonts/msyhbd.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
)


def label_font() -> str | None:
    """The font file the clips' labels are drawn with: the first candidate present."""
    return next((f for f in FONT_CANDIDATES if Path(f).exists()), None)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_clip(path: Path, label: str, *, width: int = 640, height: int = 360, fps: int = 15,
              seconds: int = 10, hue: int = 0) -> Path:
    """A ``testsrc2`` clip with a big label, H.264 baseline, one key frame per second."""
    font = label_font()
    text = label.replace(":", r"\:").replace("'", "")
    draw = (f"drawtext=text='{text}':fontsize={height // 7}:fontcolor=white:box=1:boxcolor=black@0.6"
            f":x=(w-text_w)/2:y=h-text_h-{height // 12}")
    if font:
        # The filter graph splits options at ":", so a drive letter (C:/...) is escaped.
        fontfile = font.replace(":", r"\:")
        draw = f"drawtext=fontfile='{fontfile}':" + draw.removeprefix("drawtext=")
    filters = f"hue=h={hue},{draw}" if hue else draw
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", f"testsrc2=size={width}x{height}:rate={fps}", "-t", str(seconds), "-vf", filters,
         "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "baseline", "-g", str(fps),
         "-pix_fmt", "yuv420p", str(path)],
        check=True,
    )
    path.chmod(0o644)
    return path


def _die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook that kills the child when this process dies (Linux), so a crashed test
    or bench never leaves stream servers behind."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl  # looked up before fork: the hook must not load anything

    def hook() -> None:
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

    return hook


def spawn_server(cmd: list[str], as_nobody: bool = True, new_session: bool = True) -> subprocess.Popen[bytes]:
    """Start a helper server that dies with this process; as root, cvlc runs as ``nobody``."""
    kwargs: dict[str, Any] = {}
    if as_nobody and hasattr(os, "geteuid") and os.geteuid() == 0:
        kwargs.update(user="nobody", group="nogroup", extra_groups=[])
    # The hook runs after the switch to nobody, so the death signal survives it.
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=new_session,
                            preexec_fn=_die_with_parent(), env={**os.environ, "HOME": tempfile.gettempdir()}, **kwargs)


@dataclass
class Stream:
    name: str
    clip: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/cam"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@dataclass
class StreamFarm:
    """N looping HTTP-TS streams on loopback that can be killed and restarted one by one."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="yy-streams-")))
    streams: list[Stream] = field(default_factory=list)

    @staticmethod
    def missing_tools() -> list[str]:
        return [t for t in ("ffmpeg", "cvlc") if shutil.which(t) is None]

    def add(self, count: int, *, prefix: str = "CAM", width: int = 640, height: int = 360, fps: int = 15,
            seconds: int = 10) -> list[Stream]:
        # World-readable: the nobody user serving the clips must be able to open them.
        self.root.chmod(0o755)
        added = []
        for _ in range(count):
            n = len(self.streams) + 1
            clip = make_clip(self.root / f"cam{n}.mp4", f"{prefix} {n}", width=width, height=height, fps=fps,
                             seconds=seconds, hue=(n * 47) % 360)
            stream = Stream(f"{prefix} {n}", clip, free_port())
            self.streams.append(stream)
            added.append(stream)
        return added

    def command(self, stream: Stream) -> list[str]:
        return ["cvlc", "--quiet", "--no-audio", str(stream.clip), "--loop", "--sout-keep",
                "--sout", f"#standard{{access=http,mux=ts,dst=127.0.0.1:{stream.port}/cam}}"]

    def start(self, index: int | None = None) -> None:
        targets = self.streams if index is None else [self.streams[index]]
        for stream in targets:
            if not stream.running:
                stream.proc = spawn_server(self.command(stream))
        for stream in targets:
            self.wait_listening(stream)

    def wait_listening(self, stream: Stream, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not stream.running:
                code = stream.proc.returncode if stream.proc else None
                raise RuntimeError(f"cvlc for {stream.name} exited with {code}")
            try:
                with socket.create_connection(("127.0.0.1", stream.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"{stream.name} is not listening on port {stream.port}")

    def kill(self, index: int) -> None:
        """Kill a stream's server hard, as a camera losing power would."""
        stream = self.streams[index]
        if stream.proc is not None and stream.proc.poll() is None:
            os.killpg(stream.proc.pid, signal.SIGKILL)
            stream.proc.wait(10)
        stream.proc = None

    def stop(self) -> None:
        for i in range(len(self.streams)):
            self.kill(i)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def pids(self) -> list[int]:
        """Process ids of the running cvlc servers (children of runuser when root)."""
        return [s.proc.pid for s in self.streams if s.proc is not None and s.running]

    def cameras(self, office_prefix: str = "T", sub_same_as_main: bool = True) -> list[Camera]:
        return [
            Camera(
                id=f"cam{i + 1}",
                name=s.name,
                office=f"{office_prefix}{(i // 4) + 1:02d}",
                window=f"{(i % 4) + 1}",
                main_url=s.url,
                sub_url=s.url if sub_same_as_main else None,
            )
            for i, s in enumerate(self.streams)
        ]

    def __enter__(self) -> StreamFarm:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


@contextlib.contextmanager
def private_xvfb(width: int = 1920, height: int = 1080) -> Iterator[str]:
    """A private Xvfb for benches and demos (dies with this process); sets ``DISPLAY``."""
    for number in range(120, 400):
        if not (X11_SOCKETS / f"X{number}").exists() and not (X11_LOCKS / f".X{number}-lock").exists():
            break
    else:
        raise RuntimeError("no free X display number")
    display = f":{number}"
    proc = spawn_server(["Xvfb", display, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
                        as_nobody=False)
    deadline = time.monotonic() + 15
    while not (X11_SOCKETS / f"X{number}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("Xvfb did not start")
        time.sleep(0.05)
    old = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = display
    try:
        yield display
    finally:
        if old is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = old
        proc.terminate()
        proc.wait(10)
