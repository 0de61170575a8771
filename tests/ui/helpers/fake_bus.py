"""A fake of the jeepney blocking connection DesktopNotifications uses (what it sends is kept, what
it receives is queued by the test), and messages as a notification server would send them."""

from __future__ import annotations

import itertools
import queue
import socket
from typing import Any

from jeepney import DBusAddress, new_signal
from jeepney.low_level import Message, Parser

from traywatch.ui.desktop_notify import PATH, SERVICE


class FakeSocket:
    def __init__(self, inbox: queue.Queue[Message | None]) -> None:
        self.inbox = inbox

    def shutdown(self, how: int) -> None:
        assert how == socket.SHUT_RDWR
        self.inbox.put(None)


class FakeConnection:
    """What DesktopNotifications uses of a jeepney blocking connection."""

    def __init__(self) -> None:
        self.outgoing_serial = itertools.count(1)
        self.sent: list[tuple[int, Message]] = []
        self.inbox: queue.Queue[Message | None] = queue.Queue()
        self.sock = FakeSocket(self.inbox)
        self.closed = False

    def send(self, message: Message, serial: int | None = None) -> None:
        self.sent.append((serial or 0, message))

    def receive(self, timeout: float | None = None) -> Message:
        item = self.inbox.get()
        if item is None:
            raise ConnectionResetError("closed")
        return item

    def close(self) -> None:
        self.closed = True


def as_received(message: Message, serial: int) -> Message:
    parser = Parser()
    parser.add_data(message.serialise(serial=serial))
    parsed = parser.get_next_message()
    assert parsed is not None
    return parsed


def signal(member: str, signature: str, body: tuple[Any, ...]) -> Message:
    return as_received(new_signal(DBusAddress(PATH, interface=SERVICE), member, signature, body), 99)
