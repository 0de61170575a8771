"""Waiting for another process to end, by its id (Windows: a process handle; elsewhere: polling).

`traywatch --quit` uses it: an installer that has asked the running tray app to quit may replace
its files only once the process is gone, not merely once the app has said it is stopping.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

_POLL_S = 0.05


def wait_for_exit(pid: int, timeout_s: float) -> bool:
    """True once process `pid` has ended (or there is none), False while it still runs after
    `timeout_s`."""
    if pid <= 0:
        return True
    if pid == os.getpid():
        return False  # never waits for itself
    if sys.platform == "win32":
        return _wait_windows(pid, timeout_s)
    end = time.monotonic() + timeout_s
    while _running(pid):
        if time.monotonic() >= end:
            return False
        time.sleep(_POLL_S)
    return True


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process with this id
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Ended, but not yet reaped by its parent (Linux: state Z in /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    _SYNCHRONIZE = 0x00100000
    _WAIT_OBJECT_0 = 0
    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    _kernel32.OpenProcess.restype = wintypes.HANDLE
    _kernel32.WaitForSingleObject.argtypes = [wintypes.HANDLE, wintypes.DWORD]
    _kernel32.WaitForSingleObject.restype = wintypes.DWORD
    _kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    _kernel32.CloseHandle.restype = wintypes.BOOL

    def _wait_windows(pid: int, timeout_s: float) -> bool:
        handle = _kernel32.OpenProcess(_SYNCHRONIZE, False, pid)
        if not handle:
            return True  # no such process (or none we may wait for)
        try:
            return bool(_kernel32.WaitForSingleObject(handle, round(timeout_s * 1000)) == _WAIT_OBJECT_0)
        finally:
            _kernel32.CloseHandle(handle)
