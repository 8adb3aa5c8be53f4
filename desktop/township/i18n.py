"""The sync window's translation (Chinese by default).

Source strings are English (``self.tr``); ``resources/translations/yingyan_township_zh_CN.ts``
is kept in git and compiled on first run by ``desktop.i18n`` (``.qm`` files are build
outputs). ``YINGYAN_LANG=en`` shows the English source strings.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTranslator

from desktop import i18n

CATALOGUE = "yingyan_township"

#: Qt 6's file dialog asks for these with a mnemonic; PySide6's qtbase_zh_CN has them only
#: in Qt 5's form ("Look in:"), so the dialog would say "Look in" in a Chinese window. The
#: township catalogue fills the gap (marked here so pyside6-lupdate keeps them).
QT_GAPS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)


def compiled_translation(language: str, ts_dir: Path = i18n.RESOURCES) -> Path | None:
    """The ``.qm`` for ``language``, compiled now if missing or older than the ``.ts``."""
    return i18n.compiled(language, CATALOGUE, ts_dir)


def install_translation(app: QCoreApplication, language: str | None = None) -> QTranslator | None:
    """Install the sync window's translation and Qt's own (``en`` installs none).

    Qt's catalogue translates what Qt draws itself — the file dialogs' 查找范围, 文件名,
    取消 — which the window's catalogue cannot.
    """
    translator = i18n.install_catalogue(app, CATALOGUE, language)
    if translator is not None:
        i18n.install_qt(app, language or os.environ.get("YINGYAN_LANG") or i18n.DEFAULT_LANGUAGE)
    return translator
