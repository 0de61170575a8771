"""The app's wiring, offscreen: updates reach tray and windows, OS hints re-check, no tray -> window."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QSpinBox
from pytestqt.qtbot import QtBot

from tests.ui.helpers.rounds import Feed
from traywatch.core.models import OsHint, Verdict
from traywatch.core.notify.pause import PauseChoice
from traywatch.core.settings.config import Config, parse_config
from traywatch.ui.controller import AppController
from traywatch.ui.icons import IconKind
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
        self.configs: list[Config] = []

    def start(self) -> None:
        self.started = True

    def check_now(self) -> None:
        self.checks += 1

    def stop(self) -> bool:
        self.stopped = True
        return True

    def reconfigure(self, config: Config) -> None:
        self.configs.append(config)


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


def test_history_and_settings_windows_open_and_saved_settings_apply_at_once(
    app: tuple[AppController, FakeService, ReachabilityHint], qtbot: QtBot, tmp_path: Path
) -> None:
    controller, service, _ = app
    controller.show_window("history")
    history = controller.history_window
    assert history is not None and history.isVisible()
    qtbot.waitUntil(lambda: history.data is not None, timeout=10_000)
    assert history.data is not None and history.data.view.incidents == ()
    with qtbot.waitSignal(history.loaded, timeout=10_000):
        controller.history_changed.emit()  # a round was recorded: the visible window reads again

    controller.show_window("settings")
    settings = controller.settings_window
    assert settings is not None and settings.isVisible()
    assert settings.findChild(QLabel, "config_path").text() == str(tmp_path / "config.toml")
    settings.findChild(QSpinBox, "interval").setValue(120)
    settings.findChild(QCheckBox, "recovery").setChecked(False)
    assert settings.apply()
    assert [c.check.interval_s for c in service.configs] == [120]
    assert controller.config.check.interval_s == 120
    assert controller.notifier.settings.recovery is False
    assert "interval = 120" in (tmp_path / "config.toml").read_text()


def test_a_command_line_interval_stays_in_force_after_saving_settings(qapp: object, tmp_path: Path) -> None:
    service, hint = FakeService(), ReachabilityHint(load_backend=False)
    config = Config().with_interval(5)
    controller = AppController(
        config,
        tmp_path / "c.toml",
        tmp_path / "h.sqlite3",
        service,
        hint,
        0.2,
        interval_override=5,  # type: ignore[arg-type]
    )
    try:
        controller.apply_config(parse_config({"check": {"interval": 300}}, "test"))
        assert service.configs[-1].check.interval_s == 5
    finally:
        controller.shutdown()


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


def test_quit_option_says_so_when_the_running_one_does_not_answer(
    qapp: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A hung instance holds the lock but never answers (this test's event loop does not run
    while `--quit` waits): exit 1 with a plain sentence, not a wait without end."""
    monkeypatch.setenv("TRAYWATCH_HOME", str(tmp_path))
    first = SingleInstance()
    assert first.acquire()
    try:
        env = {"TRAYWATCH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
        command = [sys.executable, "-m", "traywatch", "--quit"]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, cwd=REPO)
    finally:
        first.release()
    assert (done.returncode, done.stderr.strip()) == (1, "traywatch is running but did not quit.")


def test_quit_option_needs_no_standard_error_as_in_a_windowed_windows_build(
    qapp: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """PyInstaller's windowed traywatch.exe has sys.stderr None: --quit (run by the installer)
    and a second start must not fail on their one line of text."""
    from traywatch.cli import build_parser
    from traywatch.ui import app

    monkeypatch.setenv("TRAYWATCH_HOME", str(tmp_path))
    monkeypatch.setattr(app, "apply_language", lambda _setting: "en")  # this process keeps its language
    monkeypatch.setattr(sys, "stderr", None)
    assert app.quit_running(build_parser().parse_args(["--quit"])) == 0  # nothing runs: said to nobody


def test_during_quiet_hours_the_icon_updates_and_a_summary_waits_for_their_end(
    qapp: object, tmp_path: Path
) -> None:
    from datetime import datetime

    config = parse_config({"notifications": {"quiet_hours": "22:00-07:00"}}, "test")
    service, hint = FakeService(), ReachabilityHint(load_backend=False)
    controller = AppController(config, tmp_path / "c.toml", tmp_path / "h.sqlite3", service, hint, 0.2)  # type: ignore[arg-type]
    night = datetime(2026, 3, 5, 23, 30).astimezone()
    controller.notifier._now = lambda: night
    try:
        feed = Feed()
        for update in feed.confirm(Verdict.OK) + feed.confirm(Verdict.META_DOWN):
            service.updated.emit(update)
        assert controller.tray.current_kind() is IconKind.META_DOWN  # the icon tells at once
        assert controller.notifier.sent == [] and controller.notifier.quiet_held
        assert controller._quiet_end.isActive()
        assert 7 * 3600 <= controller._quiet_end.remainingTime() / 1000 <= 7.5 * 3600 + 5  # 07:00
        controller.notifier._now = lambda: datetime(2026, 3, 6, 7, 0, 5).astimezone()
        controller._on_quiet_end()
        assert [n.title for n in controller.notifier.sent] == ["After quiet hours: Meta is down"]
    finally:
        controller.shutdown()
