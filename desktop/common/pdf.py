"""One way to print a document to PDF: HTML through ``QTextDocument`` onto a ``QPdfWriter``.

Every printed thing the desktop makes (the statistics report, an investigation's case report,
a petition's receipt slip, the monthly evaluation) is HTML in Qt's rich-text subset written
here, so they share page size, margins, the CJK font and the way pictures are attached. Qt
embeds the subset of the font it used, so Chinese text prints on any machine that opens the
file. A page break is ``<div style="page-break-before: always">`` (``PAGE_BREAK``).

It runs on any thread: ``QTextDocument`` and ``QPdfWriter`` need a ``QGuiApplication`` to
exist (the console's, or ``offscreen`` for a command-line export) but not the UI thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

#: starts the next block on a new page
PAGE_BREAK = '<div style="page-break-before: always"></div>'
#: the family the documents ask for first; fontconfig falls back for what it lacks
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "SimSun")

_PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "A5": QPageSize.PageSizeId.A5, "A6": QPageSize.PageSizeId.A6}


def write_pdf(html: str, path: Path, *, title: str, landscape: bool = False, page: str = "A4",
              margins_mm: float = 12.0, images: Mapping[str, QImage] | None = None,
              point_size: float = 10.0) -> Path:
    """Print ``html`` to ``path`` and return it.

    ``images`` are pictures the HTML names by URL (``<img src="chart://alerts">``): a chart
    grabbed from a widget, a logo. ``title`` is the PDF's document title (what a viewer's
    window shows), not printed on the page.
    """
    writer = QPdfWriter(str(path))
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    writer.setPageLayout(QPageLayout(QPageSize(_PAGE_SIZES[page]), orientation,
                                     QMarginsF(margins_mm, margins_mm, margins_mm, margins_mm)))
    writer.setResolution(150)
    writer.setTitle(title)
    writer.setCreator("Yingyan")
    doc = QTextDocument()
    font = QFont()
    font.setFamilies(list(CJK_FAMILIES))
    font.setPointSizeF(point_size)
    doc.setDefaultFont(font)
    for url, image in (images or {}).items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, url, image)
    doc.setHtml(html)
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(writer)
    return path
