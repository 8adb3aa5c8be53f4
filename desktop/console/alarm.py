"""The sound of a new red signal: a short two-tone alarm, or the system beep, and a mute switch.

PySide6-Essentials has no QtMultimedia; when the full PySide6 (with ``QSoundEffect``) is
installed the console plays ``resources/sounds/red_alert.wav``, otherwise it falls back to
``QApplication.beep()``. A burst of red signals sounds once, not once per alert.
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWidgets import QApplication

SOUND = Path(__file__).resolve().parents[2] / "resources" / "sounds" / "red_alert.wav"
MIN_INTERVAL = 2.0


class Alarm(QObject):
    #: emitted every time the alarm sounds (tests listen; the status bar shows it)
    sounded = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.muted = False
        self.played = 0
        self._last = 0.0
        self._effect: Any = None
        try:
            multimedia = importlib.import_module("PySide6.QtMultimedia")
        except ImportError:
            multimedia = None
        if multimedia is not None and SOUND.exists():
            effect = multimedia.QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(SOUND)))
            effect.setVolume(0.8)
            self._effect = effect

    @property
    def backend(self) -> str:
        return "QSoundEffect" if self._effect is not None else "beep"

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def ring(self) -> bool:
        """Sound once unless muted or it just sounded; returns whether it did."""
        now = time.monotonic()
        if self.muted or now - self._last < MIN_INTERVAL:
            return False
        self._last = now
        self.played += 1
        if self._effect is not None:
            self._effect.play()
        else:
            QApplication.beep()
        self.sounded.emit()
        return True
