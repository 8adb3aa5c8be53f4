"""Every string the desktop programs show has its Chinese translation in git.

``pyside6-lupdate`` reads the sources the way Qt's tools do (``tr``, ``translate``,
``QT_TRANSLATE_NOOP``) into a copy of each catalogue; a string it finds that the
catalogue does not translate fails the test, naming the string. To update a catalogue
after adding strings, run the same command on the real file, for instance::

    .venv/bin/pyside6-lupdate desktop/app.py desktop/console/*.py desktop/replica/*.py \\
        desktop/common/*.py desktop/demo.py desktop/config.py desktop/cli.py \\
        -ts resources/translations/yingyan_zh_CN.ts -no-obsolete -locations none

and fill in the entries it marks ``unfinished``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
CATALOGUES = {
    "yingyan": ["desktop/app.py", "desktop/console/*.py", "desktop/console/oversight/*.py",
                "desktop/console/desk/*.py", "desktop/console/investigations/*.py", "desktop/replica/*.py",
                "desktop/common/*.py", "desktop/demo.py", "desktop/config.py", "desktop/cli.py"],
    "yingyan_video": ["desktop/video/*.py"],
    "yingyan_admin": ["desktop/console/admin/*.py"],
    "yingyan_township": ["desktop/township/*.py"],
}


def _lupdate() -> str | None:
    beside = Path(sys.executable).with_name("pyside6-lupdate")
    return str(beside) if beside.exists() else shutil.which("pyside6-lupdate")


@pytest.mark.parametrize("catalogue", sorted(CATALOGUES))
def test_every_shown_string_is_translated(catalogue: str, tmp_path: Path) -> None:
    tool = _lupdate()
    assert tool is not None, "pyside6-lupdate comes with PySide6 (pip install -e '.[dev]')"
    copy = tmp_path / f"{catalogue}_zh_CN.ts"
    shutil.copy(TRANSLATIONS / f"{catalogue}_zh_CN.ts", copy)
    sources = sorted(str(p.relative_to(ROOT)) for pattern in CATALOGUES[catalogue] for p in ROOT.glob(pattern))
    done = subprocess.run([tool, *sources, "-ts", str(copy), "-no-obsolete", "-locations", "none"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    text = copy.read_text(encoding="utf-8")
    untranslated = []
    for context in re.finditer(r"<context>.*?</context>", text, re.S):
        name = re.search(r"<name>(.*?)</name>", context.group(0))
        for message in re.finditer(r"<message.*?</message>", context.group(0), re.S):
            if 'type="unfinished"' in message.group(0):
                source = re.search(r"<source>(.*?)</source>", message.group(0), re.S)
                untranslated.append(f"{name.group(1) if name else '?'}: {source.group(1) if source else '?'}")
    assert untranslated == [], f"strings without a zh_CN translation in {catalogue}_zh_CN.ts: {untranslated}"
