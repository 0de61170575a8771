"""The app's wiring, offscreen: updates reach tray and windows, OS hints re-check, no tray -> window."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.ui.helpers.rounds import Feed
from traywatch.core.config import Config
from traywatch.core.models import OsHint, Verdict
from traywatch.ui.controller import AppController
from traywatch.ui.icons import IconKind
from traywatch.ui.interim_windows import CONFIG_TEMPLATE
from traywatch.ui.pause import PauseChoice
from traywatch.ui.reachability import ReachabilityHint, hint_of
from traywatch.ui.single_instance import SingleInstance, instance_key
from traywatch.ui.status_window import NO_TRAY_REASON

REPO = Path(__file__).resolve().parents[2]


class FakeService(QObject):
    updated = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.checks = 0
        self.started = self.stopped = False

    def start(self) -> None:
        self.started = True

    def check_now(self) -> None:
        self.checks += 1

    def stop(self) -> bool:
        self.stopped = True
        return True


@pytest.fixture
def app(qapp: object, tmp_path: Path) -> Iterator[tuple[AppController, FakeService, ReachabilityHint]]:
    service, hint = FakeService(), ReachabilityHint(load_backend=False)
    controller = AppController(
        Config(),
        tmp_path / "config.toml",
        tmp_path / "history.sqlite3",
        service,
        hint,
        tray_wait_s=0.2,  # type: ignore[arg-type]
    )
    yield controller, service, hint
    controller.shutdown()
    for window in (controller.status_window, controller.history_window, controller.settings_window):
        if window is not None:
            window.deleteLater()


def test_offscreen_has_no_tray_so_a_status_window_explains_why(
    app: tuple[AppController, FakeService, ReachabilityHint], qtbot: QtBot
) -> None:
    controller, service, _ = app
    controller.start()
    assert service.started
    qtbot.waitUntil(lambda: controller.status_window is not None and controller.status_window.isVisible())
    window = controller.status_window
    assert window is not None
    assert window.findChild(QLabel, "reason").text() == NO_TRAY_REASON
    feed = Feed()
    for update in feed.confirm(Verdict.META_DOWN):
        service.updated.emit(update)
    assert window.findChild(QLabel, "title").text() == "Meta is down"
    assert "Facebook — down" in window.findChild(QLabel, "details").text()
    window.close()  # closing only minimises: it is the only way to see the status
    assert window.isVisible() or window.isMinimized()


def test_show_option_opens_that_window_at_start(
    app: tuple[AppController, FakeService, ReachabilityHint],
) -> None:
    controller, _, _ = app
    controller.start("settings")
    assert controller.settings_window is not None and controller.settings_window.isVisible()
    assert controller.history_window is None


def test_updates_reach_the_tray_only_once_confirmed(
    app: tuple[AppController, FakeService, ReachabilityHint],
) -> None:
    controller, service, _ = app
    feed = Feed()
    first, second = feed.confirm(Verdict.INTERNET_DOWN)
    service.updated.emit(first)
    assert controller.tray.current_kind() is IconKind.CHECKING
    service.updated.emit(second)
    assert controller.tray.current_kind() is IconKind.INTERNET_DOWN
    assert len(controller.session) == 2


def test_pause_keeps_the_session_history_but_silences_and_shows_paused(
    app: tuple[AppController, FakeService, ReachabilityHint],
) -> None:
    controller, service, _ = app
    feed = Feed()
    for update in feed.confirm(Verdict.OK):
        service.updated.emit(update)
    controller.pause_notifications(PauseChoice.ONE_HOUR)
    for update in feed.confirm(Verdict.META_DOWN):
        service.updated.emit(update)
    assert controller.tray.current_kind() is IconKind.PAUSED
    assert controller.notifier.sent == []
    assert next(a.title for a in controller.session.alerts()).startswith("Meta is down")
    controller.resume_notifications()
    assert controller.tray.current_kind() is IconKind.META_DOWN


def test_any_os_reachability_change_asks_for_a_check_at_once(
    app: tuple[AppController, FakeService, ReachabilityHint],
) -> None:
    _controller, service, hint = app
    hint.set_hint(OsHint.DISCONNECTED)
    hint.set_hint(OsHint.DISCONNECTED)  # no change, no new check
    hint.set_hint(OsHint.ONLINE)
    assert service.checks == 2
    assert hint.current() is OsHint.ONLINE
    from PySide6.QtNetwork import QNetworkInformation as N

    assert hint_of(N.Reachability.Disconnected) is OsHint.DISCONNECTED
    assert hint_of(N.Reachability.Site) is OsHint.LOCAL


def test_history_and_settings_windows_are_real_and_honest(
    app: tuple[AppController, FakeService, ReachabilityHint], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    controller, service, _ = app
    for update in Feed().confirm(Verdict.INTERNET_DOWN):
        service.updated.emit(update)
    controller.show_window("history")
    history = controller.history_window
    assert history is not None and history.isVisible()
    text = history.findChild(QPlainTextEdit, "history_text").toPlainText()
    assert "internet_down" in text and "ALERT Your internet is down" in text
    assert str(tmp_path / "history.sqlite3") in history.findChild(QLabel).text()
    opened: list[str] = []
    monkeypatch.setattr(
        "traywatch.ui.interim_windows.QDesktopServices.openUrl",
        lambda url: opened.append(url.toLocalFile()) or True,
    )
    controller.show_window("settings")
    settings = controller.settings_window
    assert settings is not None and settings.isVisible()
    assert str(tmp_path / "config.toml") in settings.findChild(QLabel, "settings_info").text()
    assert settings.open_config_file()
    assert opened == [str(tmp_path / "config.toml")]
    assert (tmp_path / "config.toml").read_text() == CONFIG_TEMPLATE


def test_single_instance_wakes_the_first_one(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAYWATCH_HOME", "/tmp/traywatch-single-instance-test")
    first = SingleInstance()
    assert first.acquire()
    try:
        assert not SingleInstance().acquire()  # the lock is taken
        code = (
            "import sys; from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
            "from traywatch.ui.single_instance import SingleInstance;"
            "sys.exit(0 if SingleInstance().send('settings') else 1)"
        )
        with qtbot.waitSignal(first.message, timeout=10_000) as blocker:
            proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO)
        assert blocker.args == ["settings"]
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=10_000)
        assert proc.returncode == 0
    finally:
        first.release()
    assert instance_key({"TRAYWATCH_HOME": "/a"}) != instance_key({"TRAYWATCH_HOME": "/b"})
