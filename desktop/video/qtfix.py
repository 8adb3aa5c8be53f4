"""Works around PySide6 6.12.0 dropping references to ``True`` and ``None`` (``Signal.emit()``, slots).

On Python 3.11 ``True`` and ``False`` are ordinary reference-counted objects; PySide6
6.12.0's ``SignalInstance.emit`` returns ``True`` without taking a reference, so every emit
costs one. A wall of 16 tiles emits dozens of signals a second, and after a minute or two the
count reaches zero and the interpreter aborts ("Fatal Python error: bool_dealloc"); ``None``
goes the same way more slowly (the soak died with "none_dealloc" after 8 minutes). The real
fix is a PySide6 without the bug (6.11.3 has none); until then this gives ``True``, ``False``
and ``None`` a reference count so large it cannot run out (what Python 3.12 does by making
them immortal). It does nothing when the bug is absent.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 48
_applied = False


def emit_leaks_true() -> bool:
    """Whether ``Signal.emit()`` of this PySide6 loses a reference to ``True``."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(64):
        probe.ping.emit()
    after = sys.getrefcount(True)
    # Give the 64 references back either way: the probe must not itself shorten the count.
    if after < before:
        _add_refs(True, before - after)
    return after <= before - 32


def _add_refs(obj: object, count: int) -> None:
    # ob_refcnt is the first field of every CPython object (Py_ssize_t).
    cell = ctypes.c_ssize_t.from_address(id(obj))
    cell.value += count


def protect_booleans() -> bool:
    """Apply the workaround if this interpreter needs it; True when it was applied."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not emit_leaks_true():
        return False
    for singleton in (True, False, None, NotImplemented, Ellipsis):
        _add_refs(singleton, _HEADROOM)
    _applied = True
    return True
