"""Draws the product icon (an eagle's eye) and writes resources/icons/yingyan.png and .ico.

The icon is drawn in code rather than kept only as a binary so that it can be regenerated and
reviewed; the generated files are committed because the MSI build and the console use them
without needing Qt at build time. Run it with ``QT_QPA_PLATFORM=offscreen python
installer/make_icon.py`` after changing the drawing.

The .ico holds PNG-compressed images (supported by Windows since Vista), one per size that
Explorer, the Start menu and "Installed apps" ask for.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(size: int) -> bytes:
    """Render the icon at ``size`` pixels and return PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen, QRadialGradient

    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256.0, size / 256.0)

    # Tile: deep navy, the colour of the console's title bar.
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#14213d"))
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)

    # The eye: an almond shape in gold.
    eye = QPainterPath()
    eye.moveTo(24, 138)
    eye.cubicTo(70, 70, 186, 70, 232, 138)
    eye.cubicTo(186, 198, 70, 198, 24, 138)
    p.setBrush(QColor("#fca311"))
    p.drawPath(eye)

    # Iris and pupil, with a highlight so it reads as an eye at 16 px too.
    grad = QRadialGradient(QPointF(128, 136), 52)
    grad.setColorAt(0.0, QColor("#7a3e00"))
    grad.setColorAt(1.0, QColor("#3d1f00"))
    p.setBrush(QBrush(grad))
    p.drawEllipse(QPointF(128, 136), 46, 46)
    p.setBrush(QColor("#000000"))
    p.drawEllipse(QPointF(128, 136), 22, 22)
    p.setBrush(QColor("#ffffff"))
    p.drawEllipse(QPointF(140, 122), 9, 9)

    # The raptor's brow: a hard stroke over the eye.
    brow = QPainterPath()
    brow.moveTo(22, 104)
    brow.cubicTo(90, 50, 170, 46, 238, 84)
    pen = QPen(QColor("#e5e5e5"), 16)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(brow)
    p.end()

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, b"PNG")
    buf.close()
    return bytes(data.data())


def ico_from_pngs(images: list[tuple[int, bytes]]) -> bytes:
    """Pack PNG images into one .ico container (ICONDIR + ICONDIRENTRY + data)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    blobs = b""
    for size, png in images:
        dim = 0 if size >= 256 else size  # 0 means 256 in the ICO format
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    pngs = [(s, render_png(s)) for s in SIZES]
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    (ICON_DIR / "yingyan.png").write_bytes(pngs[-1][1])
    (ICON_DIR / "yingyan.ico").write_bytes(ico_from_pngs(pngs))
    print(f"wrote {ICON_DIR / 'yingyan.png'} and {ICON_DIR / 'yingyan.ico'}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
