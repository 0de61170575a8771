"""The delivery thread while the history file is locked (the recorder creating or migrating it
at start-up, a slow disk, another program): what the rounds handed over is stored and tried
within seconds of the lock going, not after the thread's one-minute idle wait. A real SQLite file
and a real second connection holding its write lock; only the sender is a stand-in."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.unit.factories import make_round
from tests.unit.forward.test_forward_core import HOOK, FakeSender
from traywatch.core.forward.forwarder import IDLE_WAKE_S, UNUSABLE_RETRY_CAP_S, Forwarder
from traywatch.core.forward.outbox import Outbox
from traywatch.core.forward.settings import ForwardSettings
from traywatch.core.history.connection import open_connection
from traywatch.core.models import Alert, AlertKind, InternetState, MonitorSnapshot
from traywatch.core.notify.settings import NotificationSettings
from traywatch.core.watch.monitor import MonitorUpdate


@pytest.fixture
def history(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    open_connection(path, 1.0)[0].close()  # an existing, current history file
    return path


@pytest.fixture
def forwarder(history: Path) -> Iterator[tuple[Forwarder, FakeSender]]:
    sender = FakeSender()
    sender.down = True  # the webhook is not there: each try is recorded in the outbox
    fwd = Forwarder(ForwardSettings(targets=(HOOK,)), NotificationSettings(), Outbox(history), sender)
    yield fwd, sender
    fwd.stop()


def internet_down_update() -> MonitorUpdate:
    at = datetime.now(UTC)
    alert = Alert(AlertKind.INTERNET_DOWN, "Your internet is down", "No route.", (), at)
    down = make_round(at, internet=InternetState.DOWN)
    return MonitorUpdate((alert,), (), MonitorSnapshot(down.verdict, down.summary, down))


def rows(history: Path) -> list[tuple[str, int]]:
    conn = sqlite3.connect(history)
    try:
        return conn.execute("SELECT title, attempts FROM forward_outbox").fetchall()
    finally:
        conn.close()


def wait_for_rows(history: Path, within_s: float) -> list[tuple[str, int]]:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if (got := rows(history)) and got[0][1] >= 1:
            return got
        time.sleep(0.05)
    return rows(history)


def test_an_alert_handed_over_while_the_history_is_locked_is_stored_and_tried_soon_after(
    history: Path, forwarder: tuple[Forwarder, FakeSender]
) -> None:
    fwd, _ = forwarder
    other = sqlite3.connect(history, timeout=5, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # someone else holds the write lock
    try:
        fwd.start()
        fwd.handle(internet_down_update())
        time.sleep(2.5)  # several tries fail meanwhile (busy timeout 1 s each)
        assert rows(history) == []
    finally:
        other.execute("COMMIT")
        other.close()
    # Before the fix the thread slept IDLE_WAKE_S (60 s) after a failed try.
    assert wait_for_rows(history, within_s=8.0) == [("Your internet is down", 1)]


def test_the_retry_after_an_unusable_history_backs_off_to_a_cap(
    forwarder: tuple[Forwarder, FakeSender],
) -> None:
    fwd, _ = forwarder
    waits = [fwd._next_wait(unusable) for unusable in range(1, 12)]
    assert waits[0] == 0.5 and waits == sorted(waits)
    assert max(waits) == UNUSABLE_RETRY_CAP_S < IDLE_WAKE_S
    assert fwd._next_wait(0) == IDLE_WAKE_S  # nothing waiting: the idle wake as before
