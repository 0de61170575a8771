"""Desktop notifications over D-Bus (unit level; the real bus is in tests/e2e): what is sent, a
click on one of ours opens the history, a refusal falls back to the tray, the bus is retried."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from jeepney import DBusAddress, new_error, new_method_return
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from tests.ui.helpers.fake_bus import as_received, signal
from tests.ui.helpers.rounds import Feed
from traywatch.core.models import Verdict
from traywatch.ui.desktop_notify import DEFAULT_ACTION, PATH, SERVICE
from traywatch.ui.notifications import DESKTOP_RETRY_S, TrayNotifier

NOTIFY_ADDR = DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE)


def test_notify_carries_a_default_action_the_desktop_entry_and_the_icon(bus: Any) -> None:
    conn, notes = bus
    notes.notify("Meta is down: Facebook", "Facebook does not answer.", "/icons/meta_down.svg")
    serial, sent = conn.sent[-1]
    assert sent.header.fields[6] == SERVICE and sent.header.fields[3] == "Notify"  # destination, member
    app, replaces, icon, title, body, actions, hints, timeout = sent.body
    assert (app, replaces, icon, title, timeout) == (
        "traywatch",
        0,
        "/icons/meta_down.svg",
        "Meta is down: Facebook",
        -1,
    )
    assert (
        body == "Facebook does not answer."
        and actions == [DEFAULT_ACTION, "Open history"]
        and actions[0] == "default"
    )
    assert hints["desktop-entry"] == ("s", "traywatch") and hints["urgency"] == ("y", 1)
    assert as_received(sent, serial).header.fields[8] == "susssasa{sv}i"  # the signature servers check


def test_a_click_on_our_notification_is_clicked_and_others_are_ignored(bus: Any, qtbot: QtBot) -> None:
    conn, notes = bus
    notes.notify("Your internet is down", "Nothing answers.")
    serial, sent = conn.sent[-1]
    conn.inbox.put(as_received(new_method_return(as_received(sent, serial), "u", (41,)), 7))
    qtbot.waitUntil(lambda: notes.on_screen() == {41}, timeout=3000)
    clicks: list[bool] = []  # True: seen in the GUI thread (the slot may open a window)
    notes.clicked.connect(lambda: clicks.append(threading.current_thread() is threading.main_thread()))
    conn.inbox.put(signal("ActionInvoked", "us", (40, "default")))  # another app's notification
    conn.inbox.put(signal("ActionInvoked", "us", (41, "some-button")))  # not the click on the bubble
    with qtbot.waitSignal(notes.clicked, timeout=3000):
        conn.inbox.put(signal("ActionInvoked", "us", (41, "default")))
    assert clicks == [True]
    conn.inbox.put(signal("NotificationClosed", "uu", (41, 2)))
    qtbot.waitUntil(lambda: notes.on_screen() == set(), timeout=3000)


def test_a_refused_notification_comes_back_as_failed(bus: Any, qtbot: QtBot) -> None:
    conn, notes = bus
    notes.notify("Meta is down", "…", tag="meta_down")
    serial, sent = conn.sent[-1]
    refusal = new_error(
        as_received(sent, serial), "org.freedesktop.DBus.Error.ServiceUnknown", "s", ("no one",)
    )
    with qtbot.waitSignal(notes.failed, timeout=3000) as got:
        conn.inbox.put(as_received(refusal, 8))
    title, _body, tag, why = got.args
    assert (title, tag) == ("Meta is down", "meta_down") and "ServiceUnknown" in why
    assert notes.on_screen() == set()


class FakeDesktop(QObject):
    clicked = Signal()
    failed = Signal(str, str, str, str)

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str, str, str]] = []
        self.closed = False

    def notify(self, title: str, body: str, icon: str = "", tag: str = "") -> None:
        self.shown.append((title, body, icon, tag))

    def close(self) -> None:
        self.closed = True


class Clock:
    t = 0.0

    def __call__(self) -> float:
        return self.t


def test_the_tray_notifier_uses_the_desktop_service_and_falls_back_to_the_tray(
    qapp: object, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    desktops: list[FakeDesktop | None] = [FakeDesktop(), None, FakeDesktop()]
    opened: list[FakeDesktop | None] = []

    def open_desktop() -> FakeDesktop | None:
        opened.append(desktops.pop(0))
        return opened[-1]

    clicks: list[bool] = []
    clock = Clock()
    notifier = TrayNotifier(
        QSystemTrayIcon(),
        on_click=lambda: clicks.append(True),
        open_desktop=open_desktop,
        clock=clock,  # type: ignore[arg-type]
    )
    feed = Feed()
    [notifier.handle(u) for u in feed.confirm(Verdict.OK)]  # a good start: nothing to say
    assert opened == []  # no bus connection until there is something to tell
    [notifier.handle(u) for u in feed.confirm(Verdict.INTERNET_DOWN)]
    first = opened[0]
    assert first is not None and len(first.shown) == 1
    title, _body, icon, tag = first.shown[0]
    assert title == "Your internet is down" and icon.endswith("internet_down.svg") and tag == "internet_down"
    first.clicked.emit()
    assert clicks == [True]
    first.failed.emit(title, "…", tag, "the notification service answered ServiceUnknown")
    assert first.closed and notifier.desktop is None
    assert "tray cannot show messages now; not shown: Your internet is down" in caplog.text  # the tray tried
    [notifier.handle(u) for u in feed.confirm(Verdict.OK)]  # the recovery: within the retry pause
    assert len(opened) == 1
    clock.t += DESKTOP_RETRY_S
    [notifier.handle(u) for u in feed.confirm(Verdict.INTERNET_DOWN)]
    assert len(opened) == 2 and opened[1] is None  # still no service: the tray again, retried later
    clock.t += DESKTOP_RETRY_S
    [notifier.handle(u) for u in feed.confirm(Verdict.OK)]
    assert len(opened) == 3 and opened[2] is not None and len(opened[2].shown) == 1
    notifier.close()
    assert opened[2].closed
