"""Keeping the idle tray small: no copies of module sources, and freed C heap handed back.

- PySide6 replaces `__import__` and, for its `__feature__` switches, reads the source of every
  module imported after it with `inspect.getsource` to see whether it mentions "PySide6". That
  leaves each line of those files in `linecache` for the life of the process: ~1 MB of source
  held as ~2.7 MB of small str objects, spread among the modules' own objects so that clearing
  the cache later gives no memory back. `read_sources_uncached()` (called when `traywatch.ui` is
  imported, before the rest of the app) asks the same question of the file itself, uncached.
  `linecache` is also cleared after activity: a logged traceback fills it again.
- glibc keeps the C heap Qt freed (a notification balloon's text layout and font look-ups, the
  start-up rounds' buffers) in its arenas; `malloc_trim(0)` gives the free pages back to the
  system. Linux with glibc only; elsewhere it does nothing.

`MemoryTidy` does both a little after activity (a round, a notification), at most once per
`delay_s`: never while the tray is idle, and cheap when it runs (well under a millisecond).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import linecache
import logging
import sys
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

TIDY_DELAY_S = 15.0  # after the activity: longer than a notification balloon stays (10 s)


def read_sources_uncached() -> bool:
    """Let PySide6's per-import check read a module's file without keeping its lines in
    `linecache` (same answer: does the source mention "PySide6"). False where this PySide6 has
    no such check (nothing to do); modules without a .py file still get PySide6's own check."""
    feature = sys.modules.get("shibokensupport.feature")
    upstream = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(upstream):
        return False
    if getattr(upstream, "uncached", False):
        return True

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(upstream(module))
        try:
            with open(path, "rb") as fh:
                return b"PySide6" in fh.read()
        except OSError:
            return bool(upstream(module))

    uses_pyside.uncached = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True


def drop_source_lines() -> int:
    """Forget the source lines `linecache` holds; the number of files it held."""
    held = len(linecache.cache)
    linecache.clearcache()
    return held


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None (another C library or system)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim  # musl has none: AttributeError
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def trim_c_heap() -> bool:
    """Give the C heap's free pages back to the system; False where that cannot be done."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def tidy() -> None:
    files = drop_source_lines()
    trimmed = trim_c_heap()
    log.debug("memory tidied: %d source files forgotten, C heap %s", files, "trimmed" if trimmed else "kept")


class MemoryTidy(QObject):
    """Tidies `delay_s` after activity is reported with `soon()` (later reports within that time
    are covered by the same tidy)."""

    def __init__(self, parent: QObject | None = None, delay_s: float = TIDY_DELAY_S) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(round(delay_s * 1000))
        self._timer.timeout.connect(tidy)

    def soon(self, _activity: object = None) -> None:
        if not self._timer.isActive():
            self._timer.start()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()
