"""The console's languages: Chinese by default, English through Qt translations.

Source strings are English (``tr()``); ``resources/translations/yingyan_zh_CN.ts`` is the
translation kept in git. The compiled ``.qm`` is a build output, made with
``pyside6-lrelease`` into the user cache on first run (or when the ``.ts`` is newer) and
never committed. Qt's own strings (standard buttons, file dialogs) come from the
``qtbase`` catalogue shipped with PySide6; the video wall's strings from its own catalogue.

``YINGYAN_LANG`` (``zh_CN`` or ``en``) overrides the default, as does the language chosen in
the console's View menu (stored in QSettings, applied at the next start).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "translations"
DEFAULT_LANGUAGE = "zh_CN"
CATALOGUE = "yingyan"

_current = DEFAULT_LANGUAGE
_installed: list[QTranslator] = []


def language() -> str:
    """The language in force: ``zh_CN`` or ``en``."""
    return _current


def is_chinese() -> bool:
    return _current.startswith("zh")


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
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        return None


def compiled(language: str, catalogue: str = CATALOGUE, ts_dir: Path = RESOURCES) -> Path | None:
    """The ``.qm`` for a catalogue and language, compiled now if it is missing or stale."""
    ts = ts_dir / f"{catalogue}_{language}.ts"
    shipped = ts.with_suffix(".qm")
    if not ts.exists():
        return shipped if shipped.exists() else None
    if shipped.exists() and shipped.stat().st_mtime >= ts.stat().st_mtime:
        return shipped
    # Named after the .ts it comes from too: two checkouts (or installs) on one machine share the
    # cache folder, and one's catalogue must never stand in for the other's.
    where = hashlib.sha256(str(ts.resolve()).encode()).hexdigest()[:12]
    qm = _cache_dir() / f"{catalogue}_{language}-{where}.qm"
    if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
        return qm
    tool = _lrelease()
    if tool is None:
        return None
    qm.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], capture_output=True, check=False,
                            timeout=60)
    return qm if result.returncode == 0 and qm.exists() else None


def register(translator: QTranslator) -> None:
    """Track a translator installed elsewhere (video wall, township window) so ``reset`` removes it."""
    _installed.append(translator)


def reset(app: QCoreApplication) -> None:
    """Remove every translation this package installed: the interface speaks its source English."""
    global _current
    _current = "en"
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def qt_catalogue(language: str) -> Path | None:
    """Qt's own strings (file dialogs' "Look in", standard buttons) shipped with PySide6."""
    path = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / f"qtbase_{language}.qm"
    return path if path.exists() else None


def install_qt(app: QCoreApplication, language: str) -> QTranslator | None:
    """Install Qt's own translation (a program with its own catalogue needs it too)."""
    qm = qt_catalogue(language)
    if qm is None:
        return None
    translator = QTranslator(app)
    if not translator.load(str(qm)):
        return None
    app.installTranslator(translator)
    register(translator)
    return translator


def install_catalogue(app: QCoreApplication, catalogue: str, language: str | None = None) -> QTranslator | None:
    """Install one catalogue's translation (the video wall's, the township window's) on its own.

    ``en`` installs none: the source strings are English. The translator is registered, so
    ``install`` and ``reset`` remove it with the rest. The language becomes the one in force:
    names that come from data rather than a catalogue (a rule's name) follow ``is_chinese``.
    """
    global _current
    language = language or os.environ.get("YINGYAN_LANG") or DEFAULT_LANGUAGE
    _current = "en" if language.lower().startswith("en") else language
    if language.lower().startswith("en"):
        QLocale.setDefault(QLocale(QLocale.Language.English))
        return None
    qm = compiled(language, catalogue)
    if qm is None:
        return None
    translator = QTranslator(app)
    if not translator.load(str(qm)):
        return None
    app.installTranslator(translator)
    QLocale.setDefault(QLocale(language))
    register(translator)
    return translator


def install(app: QCoreApplication, lang: str | None = None) -> str:
    """Install the console's, the video wall's and Qt's translations; returns the language."""
    global _current
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    chosen = lang or os.environ.get("YINGYAN_LANG") or DEFAULT_LANGUAGE
    if chosen.lower().startswith("en"):
        _current = "en"
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return _current
    _current = chosen
    QLocale.setDefault(QLocale(chosen))
    candidates = [compiled(chosen), compiled(chosen, "yingyan_video"), compiled(chosen, "yingyan_admin"),
                  qt_catalogue(chosen)]
    for qm in candidates:
        if qm is None:
            continue
        translator = QTranslator(app)
        if translator.load(str(qm)):
            app.installTranslator(translator)
            _installed.append(translator)
    return _current
