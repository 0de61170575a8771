"""Desktop notifications through org.freedesktop.Notifications, with a click that opens the history.

Qt's own D-Bus notifications (QSystemTrayIcon.showMessage with a StatusNotifierItem host) carry no
actions, and most notification servers (KDE Plasma, dunst, ...) then do nothing when one is
clicked. Here the Notify call is made directly, with the "default" action (a click on the bubble),
the app's desktop entry and the verdict's icon, and the server's ActionInvoked signal for one of
our notifications becomes `clicked`. Bodies are plain text to us: for a server that reads body
markup (its capabilities say "body-markup") they are escaped, so that a host name or a Meta Status
text can never become a link or an image there.

jeepney (pure Python; keyring already needs it on Linux) speaks D-Bus. One connection both sends
and listens, because servers may address ActionInvoked to the sender only; a daemon thread reads
it and hands results to the GUI thread through queued Qt signals, so the GUI never waits on the
bus (`clicked` and `failed` are emitted in the GUI thread). A Notify the server refuses (or that
nobody answers) comes back as `failed` with the notice, so the caller can still show it another way.
"""

from __future__ import annotations

import html
import logging
import os
import sys
import threading
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from traywatch.i18n import N_, _, render

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
DEFAULT_ACTION = "default"
OPEN_HISTORY = N_("Open history")  # the label of the click action, where a server shows it


def session_bus_configured() -> bool:
    """A session bus to talk to: Linux (or BSD) with DBUS_SESSION_BUS_ADDRESS set."""
    return sys.platform.startswith(("linux", "freebsd")) and bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS"))


class DesktopNotifications(QObject):
    """One session-bus connection for our notifications. Use `open()`; `close()` at the end."""

    clicked = Signal()
    failed = Signal(str, str, str, str)  # title, body, tag, why (refused, or nobody to answer)
    _from_reader = Signal(str, object)  # (event, args) from the reader thread to the GUI thread

    def __init__(self, connection: Any, app_name: str = "traywatch") -> None:
        super().__init__()
        self.app_name = app_name
        self._conn = connection
        self._lock = threading.Lock()
        self._pending: dict[int, tuple[str, str, str]] = {}  # Notify serial -> (title, body, tag)
        self._ours: set[int] = set()  # ids of our notifications still on screen
        self._closed = False
        # Does the server read the body as markup (the spec's "body-markup")? None: not known yet
        self.body_markup: bool | None = None
        self._capabilities_serial = -1
        # queued explicitly: `clicked` and `failed` are always emitted in this object's (GUI) thread
        self._from_reader.connect(self._relay, Qt.ConnectionType.QueuedConnection)
        self._reader = threading.Thread(target=self._read, name="traywatch-notify", daemon=True)
        self._reader.start()
        self._ask_capabilities()

    @classmethod
    def open(cls) -> DesktopNotifications | None:
        """Connect to the session bus; None (logged) when there is none to connect to."""
        if not session_bus_configured():
            return None
        try:
            from jeepney import MatchRule
            from jeepney.bus_messages import message_bus
            from jeepney.io.blocking import open_dbus_connection

            conn = open_dbus_connection(bus="SESSION")
            for member in ("ActionInvoked", "NotificationClosed"):
                rule = MatchRule(type="signal", interface=SERVICE, member=member, path=PATH)
                conn.send(message_bus.AddMatch(rule))  # the reply is read (and ignored) by the reader
        except Exception as exc:  # no bus, refused, jeepney missing: notifications go another way
            log.info("no D-Bus session for notifications (%s); using the tray's own", exc)
            return None
        return cls(conn)

    def _ask_capabilities(self) -> None:
        """GetCapabilities, answered to the reader: until then bodies are escaped (the safe way)."""
        from jeepney import DBusAddress, new_method_call

        message = new_method_call(DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE), "GetCapabilities")
        with self._lock:
            serial = self._capabilities_serial = next(self._conn.outgoing_serial)
        try:
            self._conn.send(message, serial=serial)
        except OSError as exc:
            log.info("could not ask the notification service what it supports: %s", exc)

    def notify(self, title: str, body: str, icon: str = "", tag: str = "") -> None:
        """Send one notification (returns at once; `failed`, with `tag`, if it is refused).
        `title` and `body` are plain text: the body is escaped for a server that reads markup."""
        from jeepney import DBusAddress, new_method_call

        title, body = render(title), render(body)  # said in the language in use now
        title, body = render(title), render(body)  # said in the language in use now
        address = DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE)
        hints = {"desktop-entry": ("s", self.app_name), "urgency": ("y", 1), "category": ("s", "network")}
        # The spec's body markup is a small XML subset: "&", "<" and ">" as entities show as
        # themselves there; a server without "body-markup" shows the text as it is.
        shown = body if self.body_markup is False else html.escape(body, quote=False)
        message = new_method_call(
            address,
            "Notify",
            "susssasa{sv}i",
            (self.app_name, 0, icon, title, shown, [DEFAULT_ACTION, _(OPEN_HISTORY)], hints, -1),
        )
        with self._lock:
            if self._closed:
                return
            serial = next(self._conn.outgoing_serial)
            self._pending[serial] = (title, body, tag)
        try:
            self._conn.send(message, serial=serial)
        except OSError as exc:
            with self._lock:
                self._pending.pop(serial, None)
            self.failed.emit(title, body, tag, f"the session bus is gone ({exc})")

    def on_screen(self) -> set[int]:
        """Ids of our notifications the server has not closed yet (for tests and the log)."""
        with self._lock:
            return set(self._ours)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        try:
            import socket

            self._conn.sock.shutdown(socket.SHUT_RDWR)  # wakes the reader
        except OSError:
            pass
        self._reader.join(2.0)
        self._conn.close()

    @Slot(str, object)
    def _relay(self, event: str, args: tuple[str, ...]) -> None:
        if event == "clicked":
            self.clicked.emit()
        elif event == "failed":
            self.failed.emit(*args)

    # -- the reader thread ----------------------------------------------------------------------
    def _read(self) -> None:
        while True:
            try:
                message = self._conn.receive()
            except Exception as exc:  # closed, or the bus went away
                with self._lock:
                    closed = self._closed
                if not closed:
                    log.info("notification bus connection lost: %s", exc)
                return
            try:
                self._handle(message)
            except Exception:  # a strange message must not end the reading
                log.exception("unexpected message from the notification service")

    def _handle(self, message: Any) -> None:
        from jeepney import HeaderFields, MessageType

        header = message.header
        kind = header.message_type
        if kind in (MessageType.method_return, MessageType.error):
            serial = header.fields.get(HeaderFields.reply_serial)
            if serial == self._capabilities_serial:
                if kind is MessageType.method_return:
                    self.body_markup = "body-markup" in message.body[0]
                    log.debug("the notification service supports %s", ", ".join(message.body[0]))
                return
            with self._lock:
                notice = self._pending.pop(serial, None)
                if notice is not None and kind is MessageType.method_return:
                    self._ours.add(int(message.body[0]))
            if notice is not None and kind is MessageType.error:
                error = header.fields.get(HeaderFields.error_name, "an error")
                self._from_reader.emit("failed", (*notice, f"the notification service answered {error}"))
            return
        if kind is not MessageType.signal or header.fields.get(HeaderFields.interface) != SERVICE:
            return
        member = header.fields.get(HeaderFields.member)
        if member == "ActionInvoked":
            nid, action = message.body
            with self._lock:
                ours = nid in self._ours
            if ours and action == DEFAULT_ACTION:
                log.info("notification %d clicked", nid)
                self._from_reader.emit("clicked", ())
        elif member == "NotificationClosed":
            with self._lock:
                self._ours.discard(message.body[0])
