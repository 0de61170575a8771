"""One recorder per history file: an exclusive lock that the operating system drops if we die.

Two recorders (the tray app and `traywatch watch` on the same profile) would count every second
twice, and crash recovery must never close the sessions of a traywatch that is still running.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path
from typing import BinaryIO


def _try_lock(handle: BinaryIO) -> bool:
    """True when we got the lock, False when another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class RecorderLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: BinaryIO | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> bool:
        """Take the lock without waiting. OSError when the lock file cannot even be created."""
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            got = _try_lock(handle)
        except BaseException:
            handle.close()
            raise
        if not got:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the lock on every platform
            self._handle = None
