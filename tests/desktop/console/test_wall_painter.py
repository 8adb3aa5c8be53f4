"""The wall's row painter: what the operator sees matches what the model says, row by row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from desktop.common.tasks import BackgroundTasks
from desktop.console import labels
from desktop.console.wall import AlertWall
from desktop.console.wall_model import COL
from desktop.console.wall_painter import WallPainter
from desktop.replica.store import Replica
from tests.desktop.console import fakes
from tests.desktop.console.operator import settled


@pytest.fixture
def wall(qtbot: Any, tmp_path: Path) -> AlertWall:
    replica = Replica(tmp_path / "replica.sqlite3")
    replica.apply_changes(fakes.page(
        fakes.alert(1, severity="red", minutes=30),
        fakes.alert(2, severity="yellow", minutes=20),
        fakes.alert(3, severity="red", minutes=10, status="resolved",
                    message="一条很长很长的提醒内容，" * 30),
        offices=("T01",)))
    w = AlertWall(replica, BackgroundTasks(), None)
    qtbot.addWidget(w)
    w.set_filter(status="All")
    w.resize(1400, 500)
    w.show()
    qtbot.waitExposed(w)
    settled(qtbot, w.model)
    return w


def _grab(wall: AlertWall) -> QImage:
    return wall.table.viewport().grab().toImage()


def _row_background(wall: AlertWall, image: QImage, row: int) -> QColor:
    # A point inside the "node" column, which is empty in these alerts: only the background.
    rect = wall.table.visualRect(wall.model.index(row, COL["node"]))
    return image.pixelColor(rect.center())


def test_rows_are_coloured_by_severity_and_handled_rows_are_plain(wall: AlertWall) -> None:
    assert isinstance(wall.table.row_painter, WallPainter)
    assert [wall.model.alert_id(r) for r in range(3)] == [1, 2, 3]
    image = _grab(wall)
    assert _row_background(wall, image, 0) == labels.SEVERITY_COLORS["red"]
    assert _row_background(wall, image, 1) == labels.SEVERITY_COLORS["yellow"]
    # A resolved alert keeps the table's own background: it no longer calls for attention.
    assert _row_background(wall, image, 2) == wall.table.palette().color(wall.table.viewport().backgroundRole())


def test_selected_row_is_highlighted_and_flashing_row_blinks(qtbot: Any, wall: AlertWall) -> None:
    wall.table.selectRow(1)
    qtbot.waitUntil(lambda: wall.table.selectionModel().isRowSelected(1))
    image = _grab(wall)
    assert _row_background(wall, image, 1) == wall.table.palette().color(wall.table.palette().ColorRole.Highlight)
    wall.model.flash([1])
    qtbot.waitUntil(lambda: _row_background(wall, _grab(wall), 0) == labels.FLASH_COLOR, timeout=2000)
    qtbot.waitUntil(lambda: _row_background(wall, _grab(wall), 0) == labels.SEVERITY_COLORS["red"], timeout=2000)


def test_text_is_drawn_and_long_text_is_cut_to_its_column(wall: AlertWall) -> None:
    painter = wall.table.row_painter
    assert painter is not None
    wall.table.setColumnWidth(COL["message"], 200)
    wall.table.horizontalHeader().setStretchLastSection(False)
    background = labels.SEVERITY_COLORS["red"]

    def inked(col: int) -> int:
        image = _grab(wall)
        rect = wall.table.visualRect(wall.model.index(0, col))
        return sum(1 for x in range(rect.left(), rect.right()) for y in range(rect.top(), rect.bottom())
                   if image.pixelColor(x, y) != background)

    # Some pixels of the rule column of row 0 differ from its background: the text is there,
    # and it moves with its column when the operator drags the header.
    assert inked(COL["rule"]) > 20
    assert inked(COL["node"]) == 0
    header = wall.table.horizontalHeader()
    header.moveSection(header.visualIndex(COL["node"]), 0)
    header.moveSection(header.visualIndex(COL["rule"]), 5)
    assert inked(COL["rule"]) > 20
    assert inked(COL["node"]) == 0
    # The long message is elided to the column, with the ellipsis a reader expects.
    long_text = wall.model.index(2, COL["message"]).data()
    cut = painter.elided(long_text, 200)
    assert cut is not None
    assert cut.endswith("…")
    assert len(cut) < len(long_text)
    # A column the operator hid is not drawn at all.
    wall.table.setColumnHidden(COL["message"], True)
    painter._texts.clear()
    _grab(wall)
    assert painter.elided(long_text, 200) is None


def test_painter_agrees_with_the_models_roles(wall: AlertWall) -> None:
    model = wall.model
    for r in range(model.rowCount()):
        look = model.look(r)
        assert look is not None
        for col in range(model.columnCount()):
            index = model.index(r, col)
            assert look.texts[col] == index.data()
            assert look.background == index.data(Qt.ItemDataRole.BackgroundRole)
            foreground = index.data(Qt.ItemDataRole.ForegroundRole)
            expected = look.first_foreground if col == 0 else look.foreground
            assert expected == foreground
            font = index.data(Qt.ItemDataRole.FontRole)
            bold = look.bold and col in (0, COL["status"])
            assert (font is not None and font.bold()) == bold
    assert model.look(model.rowCount()) is None
