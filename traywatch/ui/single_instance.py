"""One traywatch per user and profile: a QLockFile plus a local socket to wake the running one.

A second start sends one line ("history" or "settings") to the first instance, which opens that
window, and exits; `traywatch --quit` sends "quit" and waits until the first one has let go of the
lock (an installer runs it before it replaces or removes the program's files). The names derive from
the user and TRAYWATCH_HOME, so test profiles never collide with each other or with the real one.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
from pathlib import Path

from PySide6.QtCore import QDir, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from traywatch.core.paths import HOME_ENV

log = logging.getLogger(__name__)

MESSAGES = ("history", "settings", "quit")
TIMEOUT_MS = 2000


def instance_key(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    profile = env.get(HOME_ENV, "")
    digest = hashlib.sha256(f"{user}\0{profile}".encode()).hexdigest()[:16]
    return f"traywatch-{digest}"


class SingleInstance(QObject):
    """`acquire()` in the first instance (then it listens); `send()` from a second one."""

    message = Signal(str)

    def __init__(self, key: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key or instance_key()
        self.lock_path = Path(QDir.tempPath()) / f"{self.key}.lock"
        self._lock = QLockFile(str(self.lock_path))
        self._lock.setStaleLockTime(0)  # only a dead owner makes the lock stale
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True when we are the only instance (and now listen for others)."""
        if not self._lock.tryLock(100):
            return False
        QLocalServer.removeServer(self.key)  # a socket left behind by a crashed instance
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.key):
            log.warning("cannot listen for other instances: %s", server.errorString())
            return True
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def send(self, message: str) -> bool:
        """From a second instance: ask the running one to show a window or to quit. True when
        delivered."""
        sock = QLocalSocket()
        sock.connectToServer(self.key)
        if not sock.waitForConnected(TIMEOUT_MS):
            log.warning("traywatch seems to run already but does not answer: %s", sock.errorString())
            return False
        sock.write(f"{message}\n".encode())
        if not sock.flush():
            sock.waitForBytesWritten(TIMEOUT_MS)
        sock.waitForReadyRead(TIMEOUT_MS)  # the first instance answers "ok"
        answer = bytes(sock.readAll().data()).strip()
        sock.disconnectFromServer()
        return answer == b"ok"

    def wait_until_free(self, timeout_ms: int) -> bool:
        """True once no instance holds the lock (within `timeout_ms`; 0: right now). The lock is
        not kept: this only watches for the running instance to finish."""
        if not self._lock.tryLock(timeout_ms):
            return False
        self._lock.unlock()
        return True

    def holder_pid(self) -> int:
        """The process id of the instance holding the lock (0: none known)."""
        info = self._lock.getLockInfo()
        return int(info[0]) if isinstance(info, tuple) and info else 0

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _on_connection(self) -> None:
        assert self._server is not None
        sock = self._server.nextPendingConnection()
        if sock is None:
            return

        def read() -> None:
            if not sock.canReadLine():
                return
            line = bytes(sock.readLine().data()).decode("utf-8", "replace").strip()
            sock.write(b"ok\n")
            sock.flush()
            sock.disconnectFromServer()
            if line in MESSAGES:
                log.info("another start asked for %s", line)
                self.message.emit(line)

        sock.readyRead.connect(read)
        sock.disconnected.connect(sock.deleteLater)
        read()
