"""Dock panes are never shown below a size at which they can be read.

A layout saved while a pane was dragged narrow (or saved by an older version) would otherwise
come back as a 40 px strip with its letters stacked one above the other, and the operator has
no idea the pane is even there. Every window that restores a saved layout calls
``keep_docks_usable`` after ``restoreState``: each dock gets a minimum size the main window's
layout then honours, and a dock restored smaller is widened to it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

#: below this a pane's words no longer fit on a line (a sentence of about 15 Chinese characters)
USABLE = QSize(240, 120)


def usable_size(dock: QDockWidget) -> QSize:
    """The least size ``dock`` is shown at: ``USABLE`` or what its content asks (plus the
    title bar), whichever is larger."""
    return USABLE.expandedTo(dock.minimumSizeHint())


def keep_docks_usable(window: QMainWindow) -> None:
    """Give every dock of ``window`` a usable minimum and widen the ones restored below it."""
    narrow: list[QDockWidget] = []
    narrow_widths: list[int] = []
    short: list[QDockWidget] = []
    short_heights: list[int] = []
    for dock in window.findChildren(QDockWidget):
        need = usable_size(dock)
        dock.setMinimumSize(need.expandedTo(dock.minimumSize()))
        if dock.isFloating():
            dock.resize(dock.size().expandedTo(need))
            continue
        # A side dock is squeezed in width, a top or bottom one in height.
        area = window.dockWidgetArea(dock)
        side = area in (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)
        if side and dock.width() < need.width():
            narrow.append(dock)
            narrow_widths.append(need.width())
        elif not side and dock.height() < need.height():
            short.append(dock)
            short_heights.append(need.height())
    if narrow:
        window.resizeDocks(narrow, narrow_widths, Qt.Orientation.Horizontal)
    if short:
        window.resizeDocks(short, short_heights, Qt.Orientation.Vertical)
