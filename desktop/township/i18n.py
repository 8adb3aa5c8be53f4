"""The sync window's translation (Chinese by default).

Source strings are English (``self.tr``); ``resources/translations/yingyan_township_zh_CN.ts``
is kept in git and compiled on first run by ``desktop.i18n`` (``.qm`` files are build
outputs). ``YINGYAN_LANG=en`` shows the English source strings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from desktop import i18n

CATALOGUE = "yingyan_township"


def compiled_translation(language: str, ts_dir: Path = i18n.RESOURCES) -> Path | None:
    """The ``.qm`` for ``language``, compiled now if missing or older than the ``.ts``."""
    return i18n.compiled(language, CATALOGUE, ts_dir)


def install_translation(app: QCoreApplication, language: str | None = None) -> QTranslator | None:
    """Install the sync window's translation (``en`` installs none)."""
    return i18n.install_catalogue(app, CATALOGUE, language)
