"""Guard against a PySide6 build that drops references to None, True and False (Python < 3.12).

PySide6 6.12.0 on Python 3.11 returns `None` from every void method (setText, update, fillRect...)
and `True` from every `Signal.emit()` without taking a reference, as if they were immortal, which
they are only from Python 3.12 on. Each call then lowers their reference count by one, and after
a few thousand calls (a few paints of the timeline, or some hours of a running tray app) Python
aborts with "Fatal Python error: none_dealloc". `guard()` detects the leak with a few harmless
calls and, only then, raises the three singletons' counts so high that they never reach zero,
which is what Python 3.12 does for every interpreter. Call it once, before the UI starts.

Upstream: a regression of PySide6/shiboken6 6.12.0 (6.11.3 and earlier keep the references; tested
with 1000 `setObjectName` + `Signal.emit` calls on Python 3.11.7: 6.11.3 none lost, 6.12.0 aborts
with "bool_dealloc"). No fixed release exists yet (6.12.0 is the newest on PyPI) and no PYSIDE bug
number for it could be found from here. pyproject.toml keeps Python < 3.12 off 6.12.0; this guard
stays for installs that have it anyway (a bundle, a system package). Delete it once a fixed
release is required.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

_HEADROOM = 1 << 40  # far more calls than a process will ever make
_PROBES = 16
_guarded = False


class _Probe(QObject):
    ping = Signal()


def leaks() -> bool:
    """Whether this PySide6 build drops references to the singletons it returns."""
    probe = _Probe()
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.setObjectName("probe")  # void: returns None
        probe.ping.emit()  # returns True
    after = sys.getrefcount(None), sys.getrefcount(True)
    return after[0] <= before[0] - _PROBES // 2 or after[1] <= before[1] - _PROBES // 2


def guard() -> bool:
    """Make None/True/False effectively immortal when this build needs it; True when applied."""
    global _guarded
    if _guarded:
        return True
    if sys.version_info >= (3, 12) or not leaks():
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
    _guarded = True
    from PySide6 import __version__ as pyside

    log.info(
        "PySide6 %s drops references to None/True on this Python %d.%d; guarded against it",
        pyside,
        *sys.version_info[:2],
    )
    return True
