"""Wires the parts of the running app: checks -> tray, notifications and windows; menu -> actions.

Everything here runs in the GUI thread; the checks arrive from the worker as MonitorUpdate signals.
It owns the history recorder's life (started in the checking thread, stopped after it) and applies
new settings from the settings dialog without a restart (notifier here, checks in the worker; a new
language: the tray re-rendered and the open windows built again in it, where they were).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QWidget

from traywatch.core.forward.forwarder import Forwarder
from traywatch.core.history import Recorder
from traywatch.core.models import OsHint
from traywatch.core.notify.pause import PauseChoice, PauseState
from traywatch.core.settings.config import Config
from traywatch.core.watch.monitor import INTERNET, MonitorUpdate
from traywatch.i18n import N_, _, chosen_language, current_language, render
from traywatch.ui.language import apply_language
from traywatch.ui.notifications import Notice, NoticeIcon, Notifier, pick
from traywatch.ui.reachability import ReachabilityHint
from traywatch.ui.session_log import SessionLog
from traywatch.ui.status_window import StatusWindow
from traywatch.ui.tray import TrayIcon
from traywatch.ui.tray_host import TrayHostWatch
from traywatch.ui.tray_menu import META_STATUS_URL
from traywatch.ui.worker import CheckService

if TYPE_CHECKING:  # the windows are imported when first opened: most days they never are
    from traywatch.ui.history.window import HistoryWindow
    from traywatch.ui.settings.dialog import SettingsDialog

log = logging.getLogger(__name__)

RECORDING_ELSEWHERE = N_(
    "Another traywatch on this computer (for example `traywatch watch`) is recording the history, "
    "so this one does not record twice. This window shows what it records."
)


class AppController(QObject):
    history_changed = Signal()  # a round was recorded (the history window reads again)

    def __init__(
        self,
        config: Config,
        config_file: Path,
        history_file: Path,
        service: CheckService,
        hint: ReachabilityHint,
        tray_wait_s: float | None = None,
        recorder: Recorder | None = None,
        interval_override: float | None = None,
        forwarder: Forwarder | None = None,
    ) -> None:
        super().__init__()
        self.config, self.config_file, self.history_file = config, config_file, history_file
        self.service, self.hint = service, hint
        self.recorder = recorder
        self.interval_override = interval_override
        self.pause = PauseState()
        self.session = SessionLog()
        self.confirmed = False  # the monitor has confirmed a first verdict
        self.tray = TrayIcon(self.pause)
        self.notifier: Notifier = pick(
            self.tray.icon,
            config.notifications,
            on_click=lambda: self.show_window("history"),
            pause=self.pause,
        )
        self.forwarder = forwarder  # alert forwarding: fed by the rounds (core/watch/assembly.py)
        self.host = TrayHostWatch(tray_wait_s)
        self.status_window: StatusWindow | None = None
        self.history_window: HistoryWindow | None = None
        self.settings_window: SettingsDialog | None = None
        self._pause_end = QTimer(self)
        self._pause_end.setSingleShot(True)
        self._pause_end.timeout.connect(self._on_pause_timer)
        self._quiet_end = QTimer(self)  # quiet hours over: one summary of what is still wrong
        self._quiet_end.setSingleShot(True)
        self._quiet_end.timeout.connect(self._on_quiet_end)
        self._shut_down = False

        service.updated.connect(self.on_update)
        hint.changed.connect(self._on_hint)
        self.host.appeared.connect(self._on_tray_appeared)
        self.host.gave_up.connect(self._on_no_tray)
        self.tray.icon.messageClicked.connect(lambda: self.show_window("history"))
        menu = self.tray.menu
        menu.check_now.connect(self.check_now)
        menu.pause.connect(self.pause_notifications)
        menu.resume.connect(self.resume_notifications)
        menu.show_history.connect(lambda: self.show_window("history"))
        menu.show_settings.connect(lambda: self.show_window("settings"))
        menu.open_status_page.connect(lambda: QDesktopServices.openUrl(QUrl(META_STATUS_URL)))
        menu.quit_requested.connect(self.quit)

    def start(self, show: str | None = None) -> None:
        self.host.start()
        self.service.start()
        if show:
            self.show_window(show)

    # -- checks ----------------------------------------------------------------------------
    def on_update(self, update: MonitorUpdate) -> None:
        if any(t.element == INTERNET for t in update.transitions):
            self.confirmed = True
        notice = self.notifier.handle(update)  # the policy reads the pause state itself
        self.session.add(update, shown=notice is not None)
        if self.confirmed:
            self.tray.show_snapshot(update.snapshot)
        self._refresh_views()
        self._schedule_quiet_end()
        self.history_changed.emit()
        if notice is not None and not self.tray.visible and self.status_window is not None:
            QApplication.alert(self.status_window)  # no tray: draw attention to the window

    def check_now(self) -> None:
        log.info("check requested from the menu")
        self.service.check_now()

    def _on_hint(self, hint: OsHint) -> None:
        self.service.check_now()  # any reachability change: re-check at once

    # -- pause -----------------------------------------------------------------------------
    def pause_notifications(self, choice: PauseChoice) -> None:
        until = self.pause.pause(choice)
        log.info("notifications paused until %s", until.isoformat(timespec="minutes"))
        self._pause_end.start(max(1000, round(self.pause.remaining_s() * 1000)))
        self._refresh_views()

    def resume_notifications(self) -> None:
        log.info("notifications resumed")
        self.pause.resume()
        self._pause_end.stop()
        self._refresh_views()

    def _on_pause_timer(self) -> None:
        if self.pause.active:  # timers drift across sleep: wait for the rest
            self._pause_end.start(max(1000, round(self.pause.remaining_s() * 1000)))
            return
        log.info("pause over: notifications are on again")
        self._refresh_views()

    def _refresh_views(self) -> None:
        self.tray.refresh()
        if self.status_window is not None:
            state = self.tray.menu_state()
            self.status_window.show_state(self.tray.snapshot, state.paused_until, state.problems)

    def report_problems(self, problems: list[str]) -> None:
        """Start-up problems (a broken settings file, a broken proxy variable...): logged, in the
        menu, tooltip and status window, and told once as a notification, since a tray app
        started from the desktop has nobody reading its error output."""
        if not problems:
            return
        for problem in problems:
            log.warning("start-up problem: %s", problem)
        self.tray.set_problems(tuple(problems))
        self._refresh_views()
        self.notifier.tell(
            Notice(
                _("traywatch: something to fix"),
                "\n".join(render(p) for p in problems),
                NoticeIcon.NETWORK_LIMITED,
                (),
            )
        )

    # -- quiet hours -----------------------------------------------------------------------
    def _schedule_quiet_end(self) -> None:
        quiet = self.notifier.settings.quiet_hours
        if quiet is None or not self.notifier.quiet_held or self._quiet_end.isActive():
            return
        now = self.notifier.now()
        wait_s = (quiet.next_end(now) - now).total_seconds() + 1
        self._quiet_end.start(max(1000, round(wait_s * 1000)))

    def _on_quiet_end(self) -> None:
        if self.notifier.in_quiet_hours():  # timers drift across sleep: wait for the rest
            self._schedule_quiet_end()
            return
        self.notifier.end_of_quiet(self.tray.snapshot)

    # -- settings ----------------------------------------------------------------------------
    def apply_config(self, config: Config) -> None:
        """New settings saved by the dialog: in force from now on, without a restart."""
        live = config if self.interval_override is None else config.with_interval(self.interval_override)
        self.config = live
        self.notifier.configure(live.notifications)
        if self.forwarder is not None:
            self.forwarder.configure(live.forward, live.notifications)
        self.service.reconfigure(live)
        if self.history_window is not None and self.history_window.isVisible():
            self.history_window.refresh()  # services added or removed: other rows
        if chosen_language(live.language) != current_language():
            apply_language(live.language)
            # after the dialog's own handler has finished (it may be the window rebuilt)
            QTimer.singleShot(0, self.retranslate)
        log.info("new settings in force")

    def retranslate(self) -> None:
        """Say everything shown in the language now in use: the tray re-rendered, each open window
        built again at the same place (a hidden one is dropped and built when next opened)."""
        self.tray.menu.rebuild()
        self.tray.refresh()
        if self.status_window is not None:
            old = self.status_window
            self.status_window = None
            _replace(old, self._make_status_window())
            self._refresh_views()
        if self.history_window is not None:
            old_history = self.history_window
            self.history_changed.disconnect(old_history.history_changed)
            old_history.shutdown()
            self.history_window = None
            if old_history.isVisible():
                new_history = self._history_window()
                new_history.range_bar.choose(old_history.range_bar)  # the same period and tab
                new_history.tabs.setCurrentIndex(old_history.tabs.currentIndex())
                self.show_window("history")
                _replace(old_history, new_history)
            else:
                old_history.deleteLater()
        if self.settings_window is not None:
            old_settings = self.settings_window
            self.settings_window = None
            if old_settings.isVisible():
                tab = old_settings.tabs.currentIndex()
                self.show_window("settings")
                assert self.settings_window is not None
                self.settings_window.tabs.setCurrentIndex(tab)
                if old_settings.saved_note is not None:
                    self.settings_window.show_saved(old_settings.saved_note[0], **old_settings.saved_note[1])
                _replace(old_settings, self.settings_window)
            else:
                old_settings.deleteLater()
        log.info("now speaking %s", current_language())

    def catalogue_names(self) -> dict[str, str]:
        return {s.id: s.name for s in self.config.catalogue.services}

    # -- tray host -------------------------------------------------------------------------
    def _on_tray_appeared(self) -> None:
        if self.tray.visible:
            self.tray.reattach()  # a restarted host: register again
        else:
            self.tray.show()
        if self.status_window is not None:
            self.status_window.hide()

    def _on_no_tray(self, waited_s: float) -> None:
        window = self._make_status_window()
        self._refresh_views()
        window.show()

    def _make_status_window(self) -> StatusWindow:
        if self.status_window is None:
            window = StatusWindow()
            window.check_now.connect(self.check_now)
            window.show_history.connect(lambda: self.show_window("history"))
            window.show_settings.connect(lambda: self.show_window("settings"))
            window.quit_requested.connect(self.quit)
            self.status_window = window
        return self.status_window

    # -- windows ---------------------------------------------------------------------------
    def answer_instance(self, request: str) -> None:
        """What another start asked for: "quit" (`traywatch --quit`), else a window to show."""
        if request == "quit":
            self.quit()
        else:
            self.show_window(request)

    def show_window(self, name: str) -> None:
        log.info("showing the %s window", name)
        if name == "history":
            window = self._history_window()
            recording_elsewhere = self.recorder is not None and self.recorder.disabled
            window.set_notice(_(RECORDING_ELSEWHERE) if recording_elsewhere else None)
            window.present()
        elif name == "settings":
            if self.settings_window is None:
                from traywatch.core.signed_in.credentials import CredentialStore
                from traywatch.platform import autostart
                from traywatch.ui.settings.dialog import SettingsDialog

                self.settings_window = SettingsDialog(
                    self.config_file,
                    autostart=autostart.pick(),
                    credentials=CredentialStore(),
                    interval_override=self.interval_override,
                )
                self.settings_window.applied.connect(self.apply_config)
            self.settings_window.present()
        else:
            log.warning("unknown window %r", name)

    def _history_window(self) -> HistoryWindow:
        if self.history_window is None:
            from traywatch.ui.history.window import HistoryWindow

            self.history_window = HistoryWindow(self.history_file, self.catalogue_names)
            self.history_changed.connect(self.history_window.history_changed)
        return self.history_window

    def quit(self) -> None:
        log.info("quit requested")
        # exit(), not quit(): Qt 6's quit() first closes windows and the status window refuses.
        QApplication.exit(0)

    def shutdown(self) -> None:
        """Hide the icon, stop the checks, then the recorder (no round can come after it)."""
        if self._shut_down:
            return
        self._shut_down = True
        self._quiet_end.stop()
        self.notifier.close()
        self.tray.close()
        self.service.stop()
        if self.forwarder is not None:
            self.forwarder.stop()
        if self.recorder is not None:
            self.recorder.stop()
        if self.history_window is not None:
            self.history_window.shutdown()


def _replace(old: QWidget, new: QWidget) -> None:
    """Put a window built again where the old one was, in the same state, and drop the old one."""
    new.setGeometry(old.geometry())
    if old.isVisible():
        if old.isMinimized():
            new.showMinimized()
        else:
            new.show()
    old.hide()
    old.deleteLater()
