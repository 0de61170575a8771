"""Waiting for a tray host: panels start late at login, and hosts restart.

Polls `QSystemTrayIcon.isSystemTrayAvailable()`: quickly while waiting (up to `wait_s`, default
30 s, `TRAYWATCH_TRAY_WAIT` overrides), then slowly for ever. Signals: `appeared` (first time and
whenever a host comes back after being gone), `gone`, and `gave_up` once the wait is over.

A D-Bus panel (StatusNotifierWatcher) can restart between two polls. Qt registers the icon with
the new one by itself, but not always: its signal can be missed, or its call can reach the panel
while it is still starting and get no reply, and Qt does not try again; the icon is then gone
until traywatch restarts. So each poll also reads who owns the watcher's name (one call to the
session bus, ~0.1 ms): a new owner counts as the host coming back (`appeared`), and the icon is
registered again. Registering twice is harmless.
"""

from __future__ import annotations

import logging
import os
import sys
import time

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon

log = logging.getLogger(__name__)

WAIT_ENV = "TRAYWATCH_TRAY_WAIT"
DEFAULT_WAIT_S = 30.0
FAST_POLL_MS = 250
SLOW_POLL_MS = 5000
SNI_WATCHER = "org.kde.StatusNotifierWatcher"


def sni_watcher_owner() -> str | None:
    """The session bus's unique name of the StatusNotifierWatcher (a D-Bus panel), or None (no
    panel of that kind, no session bus, not a Unix desktop)."""
    if sys.platform == "win32" or sys.platform == "darwin":
        return None
    try:
        from PySide6.QtDBus import QDBusConnection
    except ImportError:  # a PySide6 build without D-Bus
        return None
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return None
    reply = bus.interface().serviceOwner(SNI_WATCHER)
    return str(reply.value()) if reply.isValid() else None


def configured_wait_s() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT_S)))
    except ValueError:
        return DEFAULT_WAIT_S


class TrayHostWatch(QObject):
    appeared = Signal()
    gone = Signal()
    gave_up = Signal(float)  # seconds waited

    def __init__(self, wait_s: float | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wait_s = configured_wait_s() if wait_s is None else wait_s
        self.available = False
        self.given_up = False
        self._started = 0.0
        self._watcher_owner: str | None = None  # the last StatusNotifierWatcher seen
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._started = time.monotonic()
        self.poll()
        if not self.available and self.wait_s == 0:
            self._give_up()
        self._timer.start(FAST_POLL_MS if not (self.available or self.given_up) else SLOW_POLL_MS)

    def poll(self) -> None:
        now_available = QSystemTrayIcon.isSystemTrayAvailable()
        seen = sni_watcher_owner()  # None in a moment without a panel: the last one is kept
        restarted = None not in (seen, self._watcher_owner) and seen != self._watcher_owner
        self._watcher_owner = seen or self._watcher_owner
        if now_available and not self.available:
            self.available = True
            log.info("system tray host available")
            self._timer.setInterval(SLOW_POLL_MS)
            self.appeared.emit()
        elif now_available and restarted:
            log.info("the panel's StatusNotifierWatcher restarted; registering the tray icon again")
            self.appeared.emit()
        elif not now_available and self.available:
            self.available = False
            log.info("system tray host gone; waiting for it to come back")
            self.gone.emit()
        elif not now_available and not self.given_up and time.monotonic() - self._started >= self.wait_s:
            self._give_up()

    def _give_up(self) -> None:
        self.given_up = True
        waited = time.monotonic() - self._started
        log.warning("no system tray found after %.0f s: showing the status window instead", waited)
        self._timer.setInterval(SLOW_POLL_MS)
        self.gave_up.emit(waited)
