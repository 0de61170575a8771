"""One recorder per history file: an exclusive lock that the operating system drops if we die.

Two recorders (the tray app and `traywatch watch` on the same profile) would count every second
twice, and crash recovery must never close the sessions of a traywatch that is still running.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import BinaryIO

from traywatch.core.private_files import open_private, private_folder


def _try_lock(handle: BinaryIO, shared: bool = False) -> bool:
    """True when we got the lock, False when another process holds it. `shared`: only test for
    an exclusive holder (the handle may be read-only); closing the handle lets go again."""
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
        fcntl.flock(handle.fileno(), (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
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
        private_folder(self.path.parent)
        handle = os.fdopen(open_private(self.path, os.O_RDWR | os.O_APPEND), "a+b")
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

    def held_elsewhere(self) -> bool:
        """Whether another traywatch holds this lock, found without creating or taking it (for
        readers: a read-only folder or a full disk must not matter). Never true for our own."""
        if self._handle is not None:
            return False
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed below
        except OSError:
            return False  # no lock file: nobody ever recorded here (or we cannot tell)
        try:
            return not _try_lock(handle, shared=True)
        except OSError:
            return False
        finally:
            handle.close()
