"""Video wall of service-hall cameras (python-vlc), used by the console pane and ``yingyan wall``.

The console embeds :class:`desktop.video.wall.VideoWall`; ``desktop.video.cli`` is the
standalone big-screen window. Qt and libvlc are imported only by the modules that need them.
"""

from __future__ import annotations

__all__ = ["ActiveAlert", "Camera", "Layout", "TileState", "VideoWall"]


def __getattr__(name: str) -> object:
    # Lazy so that reading cameras or layouts (e.g. in the server's tests) needs neither Qt nor libvlc.
    if name == "VideoWall":
        from desktop.video.wall import VideoWall

        return VideoWall
    if name == "TileState":
        from desktop.video.player import TileState

        return TileState
    if name in {"Camera", "ActiveAlert"}:
        from desktop.video import model

        return getattr(model, name)
    if name == "Layout":
        from desktop.video.layouts import Layout

        return Layout
    raise AttributeError(name)
