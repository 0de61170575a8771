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

Our own registration can be lost the same way (and re-showing the icon replaces Qt's D-Bus
connection, so Qt's own retry for that watcher is gone with it). So after each `appeared` the next
polls read the watcher's RegisteredStatusNotifierItems: while our item is missing, `appeared` is
sent again, at most three times, so a panel that lists items in a form we do not recognise
costs a few re-registrations, not a flickering icon.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

log = logging.getLogger(__name__)

WAIT_ENV = "TRAYWATCH_TRAY_WAIT"
DEFAULT_WAIT_S = 30.0
FAST_POLL_MS = 250
SLOW_POLL_MS = 5000
SNI_WATCHER = "org.kde.StatusNotifierWatcher"
SNI_WATCHER_PATH = "/StatusNotifierWatcher"
VERIFY_TRIES = 4  # checks of the watcher's list: up to 3 registrations again
VERIFY_TIMEOUT_MS = 500  # a hung panel must not freeze the menu for D-Bus's 25 s


def _session_bus() -> QDBusConnection | None:
    """The session bus, or None (not a Unix desktop, a PySide6 build without D-Bus, no bus)."""
    if sys.platform == "win32" or sys.platform == "darwin":
        return None
    try:
        from PySide6.QtDBus import QDBusConnection
    except ImportError:  # a PySide6 build without D-Bus
        return None
    bus = QDBusConnection.sessionBus()
    return bus if bus.isConnected() else None


def sni_watcher_owner() -> str | None:
    """The session bus's unique name of the StatusNotifierWatcher (a D-Bus panel), or None (no
    panel of that kind, no session bus, not a Unix desktop)."""
    bus = _session_bus()
    if bus is None:
        return None
    reply = bus.interface().serviceOwner(SNI_WATCHER)
    return str(reply.value()) if reply.isValid() else None


def sni_item_listed() -> bool | None:
    """Whether the StatusNotifierWatcher lists this process's tray item, or None when that cannot
    be read (no panel, no answer, a property of another shape).

    Qt registers `org.kde.StatusNotifierItem-PID-N` over a bus connection of its own named the same
    (N counts the icons); watchers keep that name or the connection's unique name (`:1.42`),
    either one perhaps with the item's object path after a slash."""
    bus = _session_bus()
    if bus is None:
        return None
    from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage, QDBusVariant

    ask = QDBusMessage.createMethodCall(
        SNI_WATCHER, SNI_WATCHER_PATH, "org.freedesktop.DBus.Properties", "Get"
    )
    ask.setArguments([SNI_WATCHER, "RegisteredStatusNotifierItems"])
    reply = bus.call(ask, QDBus.CallMode.Block, VERIFY_TIMEOUT_MS)
    if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
        return None
    items = reply.arguments()[0]
    items = items.variant() if isinstance(items, QDBusVariant) else items
    if not isinstance(items, list):
        return None
    prefix = f"org.kde.StatusNotifierItem-{os.getpid()}-"
    connections = (QDBusConnection(f"{prefix}{n}") for n in range(1, 5))
    ours = {named.baseService() for named in connections if named.isConnected()}
    return any(str(item).split("/", 1)[0] in ours or str(item).startswith(prefix) for item in items)


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
        self._verify_left = 0  # polls that still check the watcher lists our item
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
            self._appear()
        elif now_available and restarted:
            log.info("the panel's StatusNotifierWatcher restarted; registering the tray icon again")
            self._appear()
        elif now_available and seen and self._verify_left:
            self._verify()
        elif not now_available and self.available:
            self.available = False
            log.info("system tray host gone; waiting for it to come back")
            self.gone.emit()
        elif not now_available and not self.given_up and time.monotonic() - self._started >= self.wait_s:
            self._give_up()

    def _appear(self) -> None:
        self._verify_left = VERIFY_TRIES
        self.appeared.emit()

    def _verify(self) -> None:
        listed = sni_item_listed()
        self._verify_left -= 1
        if listed is not False:  # listed, or the list cannot be read: nothing more to do
            self._verify_left = 0
        elif self._verify_left:
            log.info("the panel does not list the tray icon; registering it again")
            self.appeared.emit()
        else:
            log.warning(
                "the panel still does not list the tray icon after %d tries; leaving it", VERIFY_TRIES - 1
            )

    def _give_up(self) -> None:
        self.given_up = True
        waited = time.monotonic() - self._started
        log.warning("no system tray found after %.0f s: showing the status window instead", waited)
        self._timer.setInterval(SLOW_POLL_MS)
        self.gave_up.emit(waited)
