"""The video wall's translation (Chinese by default), for the standalone ``yingyan wall``.

Source strings are English; ``resources/translations/yingyan_video_<lang>.ts`` is kept in
git and compiled on first run by ``desktop.i18n`` (``.qm`` files are build outputs). Inside
the console, ``desktop.i18n.install`` loads this catalogue with the console's own.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from desktop import i18n

CATALOGUE = "yingyan_video"


def compiled_translation(language: str, ts_dir: Path = i18n.RESOURCES) -> Path | None:
    """The ``.qm`` for ``language`` (compiled now if needed), or None if there is none."""
    return i18n.compiled(language, CATALOGUE, ts_dir)


def install_translation(app: QCoreApplication, language: str | None = None) -> QTranslator | None:
    """Install the wall's translation (``zh_CN`` unless told otherwise; ``en`` installs none)."""
    return i18n.install_catalogue(app, CATALOGUE, language)
