"""The sync window's translation (Chinese by default).

Source strings are English (``self.tr``); ``resources/translations/yingyan_township_zh_CN.ts``
is kept in git and compiled on first run by ``desktop.i18n`` (``.qm`` files are build
outputs). ``YINGYAN_LANG=en`` shows the English source strings.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from desktop import i18n

CATALOGUE = "yingyan_township"

def _qt_gaps() -> list[str]:
    """Qt 6 strings that PySide6's qtbase_zh_CN lacks; the township catalogue translates them.

    The file dialog asks for "&Look in:" and "Files of &type:" with a mnemonic (the catalogue
    has only Qt 5's "Look in:"), and its 类型 column asks ``QAbstractFileIconProvider``, a
    context the catalogue does not have — so a Chinese window's dialog said "Look in" and
    "Folder". Never called: pyside6-lupdate reads these calls to keep them in the catalogue.
    """
    return [
        QCoreApplication.translate("QFileDialog", "&Look in:"),
        QCoreApplication.translate("QFileDialog", "Files of &type:"),
        QCoreApplication.translate("QAbstractFileIconProvider", "Folder", "All other platforms"),
        QCoreApplication.translate("QAbstractFileIconProvider", "Drive"),
        QCoreApplication.translate("QAbstractFileIconProvider", "File"),
        QCoreApplication.translate("QAbstractFileIconProvider", "%1 File"),
        QCoreApplication.translate("QAbstractFileIconProvider", "Unknown"),
    ]


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
