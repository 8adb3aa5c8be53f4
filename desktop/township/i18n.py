"""Loads the sync window's translation (Chinese by default), compiling the ``.ts`` on first run.

Source strings are English (``self.tr``); ``resources/translations/yingyan_township_zh_CN.ts``
is kept in git and compiled with ``pyside6-lrelease`` into the user cache (``.qm`` files are
build outputs, never committed). ``YINGYAN_LANG=en`` shows the English source strings.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "translations"
CATALOG = "yingyan_township"
DEFAULT_LANGUAGE = "zh_CN"


def _cache_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "Yingyan" / "cache"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "yingyan"
    return base / "translations"


def _lrelease() -> str | None:
    for candidate in (shutil.which("pyside6-lrelease"), str(Path(sys.executable).with_name("pyside6-lrelease"))):
        if candidate and Path(candidate).exists():
            return candidate
    try:
        import PySide6

        name = "lrelease.exe" if sys.platform == "win32" else "lrelease"
        bundled = Path(PySide6.__file__).parent / name
        return str(bundled) if bundled.exists() else None
    except ImportError:
        return None


def compiled_translation(language: str, ts_dir: Path = RESOURCES) -> Path | None:
    """The ``.qm`` for ``language``, compiled now if missing or older than the ``.ts``."""
    ts = ts_dir / f"{CATALOG}_{language}.ts"
    if not ts.exists():
        return None
    qm = _cache_dir() / f"{CATALOG}_{language}.qm"
    if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
        return qm
    tool = _lrelease()
    if tool is None:
        return None
    qm.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], capture_output=True, check=False, timeout=60)
    return qm if done.returncode == 0 and qm.exists() else None


def install_translation(app: QCoreApplication, language: str | None = None) -> QTranslator | None:
    language = language or os.environ.get("YINGYAN_LANG") or DEFAULT_LANGUAGE
    if language.lower().startswith("en"):
        return None
    qm = compiled_translation(language)
    if qm is None:
        return None
    translator = QTranslator(app)
    if not translator.load(str(qm)):
        return None
    app.installTranslator(translator)
    QLocale.setDefault(QLocale(language))
    from desktop import i18n

    i18n.register(translator)
    return translator
