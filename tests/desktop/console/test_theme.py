"""The dark theme keeps input fields visible (issue 15 #13: the sign-in password box was the
colour of its dialog): measured in pixels on the rendered sign-in dialog."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication


def _luminance(c: QColor) -> float:
    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 = the same, 21 = black on white)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def dark(qapp: Any) -> Iterator[QApplication]:
    from desktop.console import theme

    theme.apply(qapp, dark=True)
    yield qapp
    theme.apply(qapp, dark=False)


def test_the_password_box_stands_out_on_the_dark_theme(dark: QApplication, qtbot: Any, tmp_path: Path) -> None:
    from desktop.common.api import ApiClient
    from desktop.common.tasks import BackgroundTasks
    from desktop.console.signin import SignInDialog

    dialog = SignInDialog(ApiClient("https://127.0.0.1:1", None), BackgroundTasks(), username="op")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    image = dialog.grab().toImage()
    image.save(str(Path(os.environ.get("YINGYAN_TEST_SCREENSHOTS") or tmp_path) / "yingyan-console-signin-dark.png"))
    box = dialog.password.geometry()
    ground = image.pixelColor(QPoint(box.left() - 4, box.center().y()))  # the dialog beside the field
    well = image.pixelColor(box.center())
    edge = image.pixelColor(QPoint(box.left(), box.center().y()))
    assert _luminance(ground) < 0.05, "the dialog is dark"
    # The field's edge is as visible as secondary text (≥ 3:1), and its well differs from the ground.
    assert contrast(edge, ground) >= 3.0, (edge.name(), ground.name())
    assert well != ground, (well.name(), ground.name())
    # Typed characters (the echo dots) read clearly on the well.
    dialog.password.setText("secret-1")
    typed = dialog.grab().toImage()
    brightest = max((typed.pixelColor(QPoint(x, box.center().y())) for x in range(box.left() + 4, box.center().x())),
                    key=_luminance)
    assert contrast(brightest, well) >= 7.0, (brightest.name(), well.name())
