"""Isolation between the desktop suites, which share one QApplication in a pytest process.

Each suite expects its own interface language: the console and the township window are
tested in Chinese (their default), the video wall's tests read its English source strings
unless a test installs the translation itself. Translations are application-wide, so one
suite's would leak into the next; this resets them before every test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# The console's replica refuses reads from the UI thread: in tests the refusal is an error, so a
# widget that reads on the UI thread fails its test instead of logging.
os.environ.setdefault("YINGYAN_STRICT_UI_THREAD", "1")


@pytest.fixture(autouse=True)
def _suite_language(request: pytest.FixtureRequest) -> Iterator[None]:
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        yield
        return
    app = QApplication.instance()
    if app is None:
        yield
        return
    from desktop import i18n

    suite = request.path.parent.name
    i18n.reset(app)
    if suite == "township":
        from desktop.township.i18n import install_translation

        install_translation(app, "zh_CN")
    elif suite == "console":
        i18n.install(app, os.environ.get("YINGYAN_LANG"))
    yield
