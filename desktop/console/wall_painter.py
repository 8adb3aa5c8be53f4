"""The alert wall's painter: draws the visible rows straight from the model's row looks.

Qt's default delegate asks the model for seven roles per cell and lays each text out through
the style; on a 1920×1080 wall that is about 15 ms per repaint, and a live wall repaints on
every change-feed page. This painter draws whole rows: one look-up per row
(``AlertWallModel.look``), one background fill per row, texts elided and laid out once and
kept (``QStaticText``), so a repaint costs a few milliseconds. What it draws is what ``data``
says role by role, so accessibility and tests that read roles see the same wall.

The view keeps everything else a table does (header, scrolling, selection, keyboard, hidden
and moved columns); only the painting of the cells is here.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QStaticText, QTransform
from PySide6.QtWidgets import QTableView

from desktop.console.wall_model import COL, AlertWallModel

_PADDING = 6
_ELIDE = Qt.TextElideMode.ElideRight
_STATUS_COL = COL["status"]
#: laid-out texts kept between repaints; beyond this the cache starts again (a live wall shows
#: new texts all the time, and a few thousand cover every visible cell many times over)
_TEXT_LIMIT = 5_000


@dataclass(frozen=True)
class _Face:
    """A font the wall draws with, its metrics, and how wide any one of its characters gets."""

    font: QFont
    metrics: QFontMetrics
    #: a CJK ideograph or the widest Latin characters (``maxWidth`` is the widest glyph of the
    #: whole font, three ideographs wide here)
    char_width: int

    @classmethod
    def of(cls, font: QFont) -> _Face:
        metrics = QFontMetrics(font)
        return cls(QFont(font), metrics, max(metrics.horizontalAdvance(c) for c in "中國WM@—%…"))


class WallPainter:
    """Paints the cells of ``view``, whose model must be ``model``."""

    def __init__(self, view: QTableView, model: AlertWallModel) -> None:
        self.view = view
        self.model = model
        self._texts: dict[tuple[str, int, bool], QStaticText] = {}
        #: (regular, bold) for the view's font, and that font's key
        self._faces: tuple[_Face, _Face] | None = None
        self._font_key = ""

    def _faces_for(self, font: QFont) -> tuple[_Face, _Face]:
        key = font.key()
        if self._faces is None or key != self._font_key:
            bold = QFont(font)
            bold.setBold(True)
            self._faces = (_Face.of(font), _Face.of(bold))
            self._font_key = key
            self._texts.clear()
        return self._faces

    def _static(self, text: str, width: int, bold: bool, face: _Face) -> QStaticText:
        key = (text, width, bold)
        found = self._texts.get(key)
        if found is None:
            if len(self._texts) > _TEXT_LIMIT:
                self._texts.clear()
            # Most cells fit (dates, codes, names): then the text is laid out once, not twice.
            fits = len(text) * face.char_width <= width
            found = QStaticText(text if fits else face.metrics.elidedText(text, _ELIDE, width))
            found.setTextFormat(Qt.TextFormat.PlainText)
            found.prepare(QTransform(), face.font)
            self._texts[key] = found
        return found

    def elided(self, text: str, width: int, bold: bool = False) -> str | None:
        """The text as last drawn into ``width`` pixels, if it was drawn (for tests and tools)."""
        found = self._texts.get((text, width - 2 * _PADDING, bold))
        return found.text() if found is not None else None

    def paint(self, painter: QPainter, region: QRect) -> None:
        view = self.view
        model = self.model
        rows = model.rowCount()
        if rows == 0:
            return
        first = view.rowAt(region.top())
        if first < 0:
            first = 0
        last = view.rowAt(region.bottom())
        if last < 0:
            last = rows - 1
        header = view.horizontalHeader()
        columns: list[tuple[int, int, int]] = []  # (logical column, x, width) in visual order
        for visual in range(header.count()):
            col = header.logicalIndex(visual)
            if header.isSectionHidden(col):
                continue
            x = view.columnViewportPosition(col)
            width = view.columnWidth(col)
            if x + width < region.left() or x > region.right():
                continue
            columns.append((col, x, width))
        if not columns:
            return
        palette = view.palette()
        highlight = palette.brush(QPalette.ColorRole.Highlight)
        highlighted_text = palette.color(QPalette.ColorRole.HighlightedText)
        plain_text = palette.color(QPalette.ColorRole.Text)
        regular, bold_face = self._faces_for(view.font())
        # Asked of Qt once per paint, not per row: every call into Qt may hand the interpreter
        # lock to the sync worker, and waiting to get it back is what stalls a live wall.
        selection = view.selectionModel()
        selected_rows = {i.row() for i in selection.selectedRows()} if selection is not None else set()
        current = view.currentIndex()
        current_row = current.row() if current.isValid() and view.hasFocus() else -1
        left = min(x for _, x, _ in columns)
        right = max(x + w for _, x, w in columns)
        height = view.rowHeight(first)
        top = view.rowViewportPosition(first)
        text_y = (height - regular.metrics.height()) // 2
        for r in range(first, last + 1):
            look = model.look(r)
            if look is None:
                continue
            # The wall's rows all have one fixed height (AlertTable sets it).
            y = top + (r - first) * height
            selected = r in selected_rows
            if selected:
                painter.fillRect(left, y, right - left, height, highlight)
            elif look.background is not None:
                painter.fillRect(left, y, right - left, height, look.background)
            if selected:
                first_pen = pen = highlighted_text
            else:
                first_pen = look.first_foreground.color() if look.first_foreground is not None else plain_text
                pen = look.foreground.color() if look.foreground is not None else plain_text
            texts = look.texts
            for col, x, width in columns:
                bold = look.bold and (col == 0 or col == _STATUS_COL)
                text = texts[col]
                if not text:
                    continue
                painter.setPen(first_pen if col == 0 else pen)
                face = bold_face if bold else regular
                painter.setFont(face.font)
                static = self._static(text, width - 2 * _PADDING, bold, face)
                painter.drawStaticText(x + _PADDING, y + text_y, static)
            if r == current_row:
                # The keyboard's row: a bar at its left edge (whole rows are selected, so a cell
                # focus frame would mark one cell of ten).
                painter.fillRect(left, y, 3, height, palette.brush(QPalette.ColorRole.Link))

