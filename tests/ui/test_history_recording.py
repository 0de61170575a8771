"""The tray app records its rounds into the history (through the controller, offscreen, with a
local config that reaches no network), stops the recorder cleanly at quit, and says so when
another traywatch already records the same file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from traywatch.core.history import HistoryStore
from traywatch.core.history.lock import RecorderLock
from traywatch.core.history.records import EndReason
from traywatch.core.settings.config import Config, parse_config
from traywatch.core.watch.monitor import MonitorUpdate
from traywatch.ui.app import checking_service
from traywatch.ui.controller import RECORDING_ELSEWHERE, AppController
from traywatch.ui.reachability import ReachabilityHint

LOCAL_ONLY = {
    "check": {"interval": 10, "timeout": 1, "confirm_delay": 1},
    "network": {"nameservers": ["127.0.0.1:9"]},  # nothing answers there: names never resolve
    "official": {"enabled": False},
    "account": {"enabled": False},
}


@pytest.fixture
def config(monkeypatch: pytest.MonkeyPatch) -> Config:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return parse_config(LOCAL_ONLY, "test")


@pytest.fixture
def app(qapp: object, tmp_path: Path, config: Config) -> Iterator[AppController]:
    hint = ReachabilityHint(load_backend=False)
    db = tmp_path / "data" / "history.sqlite3"
    service, machine = checking_service(config, db, hint.current)
    controller = AppController(  # as the app does: shutdown() stops the recorder and forwarding
        config,
        tmp_path / "config.toml",
        db,
        service,
        hint,
        0.2,
        recorder=machine.recorder,
        forwarder=machine.forwarder,
    )
    yield controller
    controller.shutdown()


def test_rounds_are_recorded_and_the_session_closed_at_quit(app: AppController, qtbot: QtBot) -> None:
    updates: list[MonitorUpdate] = []
    app.service.updated.connect(updates.append)
    with qtbot.waitSignal(app.history_changed, timeout=30_000):
        app.start()
    assert updates and updates[0].snapshot.round.verdict.value == "internet_down"
    assert app.recorder is not None and app.recorder.settle()  # written in the recorder's thread
    with HistoryStore.open(app.history_file) as store:
        assert store.last_round_at() == updates[0].snapshot.round.checked_at
    app.shutdown()
    assert app.recorder is not None and not app.recorder.disabled
    with HistoryStore.open(app.history_file) as store:
        ended = store._conn.execute("SELECT end_reason FROM sessions").fetchall()
    assert ended == [(EndReason.APP_STOPPED.value,)]


def test_another_recorder_holding_the_file_is_said_not_fatal(app: AppController, qtbot: QtBot) -> None:
    lock = RecorderLock(app.history_file.with_name(app.history_file.name + ".lock"))
    assert lock.acquire()  # as `traywatch watch` would
    try:
        with qtbot.waitSignal(app.history_changed, timeout=30_000):
            app.start()
        assert app.recorder is not None and app.recorder.disabled
        app.show_window("history")
        window = app.history_window
        assert window is not None
        assert window.notice.isVisibleTo(window) and window.notice.text() == RECORDING_ELSEWHERE
    finally:
        app.shutdown()
        lock.release()
