"""Starts a private Xvfb display for tests that need a real X server (libvlc windows).

The launcher is the video wall's own (``desktop.video.demo_streams.private_xvfb``): the
server dies with the process that started it, so a crashed test leaves no display behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tests.conftest import require_commands


@contextmanager
def xvfb_display(width: int = 1920, height: int = 1080) -> Iterator[str]:
    """Run Xvfb on a free display number; yields the DISPLAY string (e.g. ':121')."""
    require_commands("Xvfb")
    from desktop.video.demo_streams import private_xvfb

    with private_xvfb(width, height) as display:
        yield display
