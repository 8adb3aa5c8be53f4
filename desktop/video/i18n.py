"""Loads the wall's Chinese (or other) translation: compiles the ``.ts`` source on first run.

Source strings are English; ``resources/translations/yingyan_video_<lang>.ts`` is the
translation kept in git. The compiled ``.qm`` is a build output: it is made with
``pyside6-lrelease`` into the user cache the first time (or whenever the ``.ts`` is newer)
and never committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "translations"
DEFAULT_LANGUAGE = "zh_CN"


def _cache_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "Yingyan" / "cache"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "yingyan"
    return base / "translations"


def _lrelease() -> str | None:
    found = shutil.which("pyside6-lrelease")
    if found:
        return found
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    if beside.exists():
        return str(beside)
    try:
        import PySide6

        name = "lrelease.exe" if sys.platform == "win32" else "lrelease"
        candidate = Path(PySide6.__file__).parent / name
        return str(candidate) if candidate.exists() else None
    except ImportError:
        return None


def compiled_translation(language: str, ts_dir: Path = RESOURCES) -> Path | None:
    """Path of the ``.qm`` for ``language`` (compiled now if needed), or None if there is none."""
    ts = ts_dir / f"yingyan_video_{language}.ts"
    shipped = ts.with_suffix(".qm")
    if not ts.exists():
        return shipped if shipped.exists() else None
    if shipped.exists() and shipped.stat().st_mtime >= ts.stat().st_mtime:
        return shipped
    qm = _cache_dir() / f"yingyan_video_{language}.qm"
    if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
        return qm
    tool = _lrelease()
    if tool is None:
        return None
    qm.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], capture_output=True, check=False,
                            timeout=60)
    return qm if result.returncode == 0 and qm.exists() else None


def install_translation(app: QCoreApplication, language: str | None = None) -> QTranslator | None:
    """Install the wall's translation (``zh_CN`` unless told otherwise; ``en`` installs none)."""
    language = language or os.environ.get("YINGYAN_LANG") or DEFAULT_LANGUAGE
    if language.lower().startswith("en"):
        QLocale.setDefault(QLocale(QLocale.Language.English))
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
