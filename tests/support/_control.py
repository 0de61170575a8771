"""Small helpers shared by the test servers: atomic JSON files and change detection, closing
sockets quietly, and a SIGTERM that exits through `finally`.

The servers that run inside network namespaces are steered through plain JSON files on the
shared filesystem (namespaces separate networks, not files). The test writes a file atomically
with `write_json_atomic`; the server calls `JsonFileWatch.poll()` before each request and
reloads when the file changed. Because the check happens on every request, a change made by
the test is visible to the very next request, with no race.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

log = logging.getLogger(__name__)


def write_json_atomic(path: str | Path, data: Any) -> None:
    """Write `data` as JSON to `path` so that readers never see a half-written file."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: str | Path, default: Any = None) -> Any:
    """Read a JSON file; return `default` when it does not exist."""
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return default


class JsonFileWatch:
    """Detects replacement or modification of a JSON file and returns its new contents."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._sig: tuple[int, int, int] | None = None
        self._lock = threading.Lock()

    def poll(self) -> Any | None:
        """Return the parsed file if it changed since the last call (or on the first call).

        Returns None when unchanged, missing, or unreadable (a bad file is logged and skipped).
        """
        with self._lock:
            try:
                st = os.stat(self.path)
            except FileNotFoundError:
                return None
            sig = (st.st_mtime_ns, st.st_ino, st.st_size)
            if sig == self._sig:
                return None
            try:
                data = read_json(self.path)
            except (OSError, ValueError) as exc:
                log.warning("cannot read control file %s: %s", self.path, exc)
                return None
            self._sig = sig
            return data


class StatsWriter:
    """Writes a stats dict to a JSON file (atomically, serialised by a lock)."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._lock = threading.Lock()

    def write(self, snapshot: Callable[[], Any]) -> None:
        """Take `snapshot()` and write it; snapshot and write happen under one lock so that an
        older snapshot never overwrites a newer one."""
        if self.path is None:
            return
        with self._lock:
            try:
                write_json_atomic(self.path, snapshot())
            except OSError as exc:
                log.warning("cannot write stats file %s: %s", self.path, exc)


def exit_when_parent_dies(interval: float = 0.5) -> None:
    """Start a daemon thread that ends this process (os._exit) once its parent is gone.

    Used by the servers started inside namespaces so that a test run killed with SIGKILL does
    not leave them running.
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                log.warning("parent %d is gone; exiting", parent)
                os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def close_quietly(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()


def exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    """A SIGTERM handler for the server processes: exit normally, so `finally` cleans up."""
    raise SystemExit(0)
