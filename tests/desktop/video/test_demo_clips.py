"""The demo and test streams burn their Chinese labels ("窗口 3") as glyphs, not □□ boxes.

A font without CJK glyphs draws every Chinese character as its ``.notdef`` box: then "窗口",
"口窗" and two characters no font has all come out as the same pixels. The test renders
each label into a clip with the generator itself and compares the decoded frames.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from desktop.video.demo_streams import label_font, make_clip
from tests.conftest import require_commands

WIDTH, HEIGHT = 320, 180


def _label_pixels(tmp_path: Path, label: str) -> bytes:
    clip = make_clip(tmp_path / f"{len(list(tmp_path.iterdir()))}.mp4", label, width=WIDTH, height=HEIGHT,
                     seconds=1)
    frame = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(clip), "-frames:v", "1",
                            "-f", "rawvideo", "-pix_fmt", "gray", "-"], check=True, capture_output=True).stdout
    assert len(frame) == WIDTH * HEIGHT
    # The label sits in the bottom third (drawtext y = h - text_h - h/12).
    return frame[WIDTH * HEIGHT * 2 // 3:]


def _differing(a: bytes, b: bytes) -> int:
    return sum(1 for x, y in zip(a, b, strict=True) if abs(x - y) > 40)


def test_chinese_labels_are_drawn_as_glyphs_not_notdef_boxes(tmp_path: Path) -> None:
    require_commands("ffmpeg")
    font = label_font()
    assert font is not None, "a font for the labels (setup.sh installs Noto CJK)"
    assert "CJK" in font, f"the labels' font has CJK glyphs (setup.sh installs Noto CJK): {font}"
    window = _label_pixels(tmp_path, "窗口 3")
    swapped = _label_pixels(tmp_path, "口窗 3")
    notdef = _label_pixels(tmp_path, "\U000f0000\U000f0001 3")  # private use: no font draws these
    assert _differing(window, notdef) > 200, "窗口 is drawn as the font's notdef boxes"
    assert _differing(window, swapped) > 200, "窗 and 口 are drawn as the same shape (boxes)"
