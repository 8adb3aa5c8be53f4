"""Panes come back readable: the shortcuts list (F1) is as wide as its lines, and a layout saved
with every pane dragged to a 40 px sliver restores each pane at a usable size.

Measured on the shown window (Xvfb): dock widths and heights after the restart, and the
width the shortcuts list needs without wrapping against the width it has.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget
from pytestqt.exceptions import TimeoutError

from desktop.common.api import ApiClient
from desktop.common.docks import USABLE
from desktop.console.session import open_session
from desktop.console.window import ConsoleWindow
from desktop.replica.store import Replica
from tests.desktop.console import fakes


def _window(qtbot: Any, replica: Replica) -> ConsoleWindow:
    client = ApiClient("https://127.0.0.1:9", None)
    w = ConsoleWindow(open_session(client, "op", replica_file=replica.path))
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def _open_panes(w: ConsoleWindow) -> list[QDockWidget]:
    for dock in (w.help_dock, w.conflicts_dock, w.case_dock):
        dock.show()
        dock.raise_()
    return [w.help_dock, w.conflicts_dock, w.case_dock]


def _unwrapped_width(w: ConsoleWindow) -> float:
    doc = w.help.document().clone()
    doc.setTextWidth(-1)
    return doc.size().width()


def test_shortcuts_list_is_as_wide_as_its_lines(qtbot: Any, tmp_path: Path, settings_dir: Path) -> None:
    replica = Replica(tmp_path / "replica.sqlite3")
    replica.apply_changes(fakes.page(offices=("T01",)))
    w = _window(qtbot, replica)
    _open_panes(w)
    qtbot.waitUntil(lambda: w.help.viewport().width() > 0)
    assert w.help.viewport().width() >= _unwrapped_width(w), "every shortcut's line fits: no word is broken"
    w.close()


def test_saved_layout_never_restores_a_pane_below_a_usable_size(qtbot: Any, tmp_path: Path,
                                                                settings_dir: Path) -> None:
    replica = Replica(tmp_path / "replica.sqlite3")
    replica.apply_changes(fakes.page(offices=("T01",)))
    first = _window(qtbot, replica)
    side = [first.help_dock, first.case_dock]
    _open_panes(first)
    # As an older version let the operator save it: every pane dragged to a sliver.
    for dock in [*side, first.conflicts_dock]:
        dock.setMinimumSize(1, 1)
        widget = dock.widget()
        assert widget is not None
        widget.setMinimumSize(1, 1)  # non-zero: overrides the size hint, as an older layout had it
    first.resizeDocks(side, [40, 40], Qt.Orientation.Horizontal)
    first.resizeDocks([first.conflicts_dock], [40], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: first.help_dock.width() <= 60 and first.conflicts_dock.height() <= 60)
    first.close()  # saves the layout

    second = _window(qtbot, replica)
    panes = _open_panes(second)

    def too_small() -> list[str]:
        found = [f"{d.objectName()} {d.width()} px wide" for d in (second.help_dock, second.case_dock)
                 if d.width() < max(USABLE.width(), d.minimumSizeHint().width())]
        if second.conflicts_dock.height() < USABLE.height():
            found.append(f"conflicts {second.conflicts_dock.height()} px high")
        if second.help.viewport().width() < _unwrapped_width(second):
            found.append(f"shortcuts wrap in {second.help.viewport().width()} px")
        return found

    qtbot.waitUntil(lambda: all(d.isVisible() for d in panes))
    with contextlib.suppress(TimeoutError):
        qtbot.waitUntil(lambda: not too_small(), timeout=3_000)  # the layout settles after the show
    assert too_small() == []
    second.close()
