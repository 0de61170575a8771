"""The tray menu, rebuilt each time it opens from the latest snapshot and the pause state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from traywatch.core.models import MonitorSnapshot, ServiceState
from traywatch.core.notify.pause import MORNING, PauseChoice
from traywatch.i18n import _
from traywatch.ui.icons import IconKind, make_icon, panel_theme
from traywatch.ui.status_text import headline, pause_line, problem_line, service_rows

META_STATUS_URL = "https://metastatus.com/"
_ROW_ICON = {
    ServiceState.UP: IconKind.OK,
    ServiceState.DEGRADED: IconKind.META_PARTIAL,
    ServiceState.DOWN: IconKind.META_DOWN,
    ServiceState.UNKNOWN: IconKind.CHECKING,
}


def pause_label(choice: PauseChoice) -> str:
    """The pause menu's item for a choice, in the language in use."""
    if choice is PauseChoice.ONE_HOUR:
        return _("For 1 hour")
    if choice is PauseChoice.FOUR_HOURS:
        return _("For 4 hours")
    return _("Until tomorrow ({time})").format(time=MORNING.strftime("%H:%M"))


@dataclass(frozen=True)
class MenuState:
    snapshot: MonitorSnapshot | None
    paused_until: datetime | None
    problems: tuple[str, ...] = ()  # start-up problems (a broken settings file...), said first


class TrayMenu(QMenu):
    """Emits what the owner chose; knows nothing of the worker or the windows."""

    check_now = Signal()
    pause = Signal(object)  # PauseChoice
    resume = Signal()
    show_history = Signal()
    show_settings = Signal()
    open_status_page = Signal()
    quit_requested = Signal()

    def __init__(self, state: Callable[[], MenuState], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        self.clear()
        state = self._state()
        theme = panel_theme()
        self._label(headline(state.snapshot))
        for problem in state.problems:
            self._label(problem_line(problem)).setObjectName("problem")
        if state.paused_until is not None:
            self._label(pause_line(state.paused_until))
        for row in service_rows(state.snapshot):
            action = self._label(row.text)
            action.setIcon(make_icon(_ROW_ICON[row.state], theme))
            action.setObjectName(f"service:{row.id}")
        self.addSeparator()
        self._item(_("Check now"), self.check_now.emit, "check_now")
        pause_menu = self.addMenu(_("Pause notifications"))
        pause_menu.setObjectName("pause_menu")
        for choice in PauseChoice:
            act = pause_menu.addAction(pause_label(choice))
            act.setObjectName(f"pause:{choice.value}")
            act.triggered.connect(lambda _=False, c=choice: self.pause.emit(c))
        resume = self._item(_("Resume notifications"), self.resume.emit, "resume")
        resume.setEnabled(state.paused_until is not None)
        self.addSeparator()
        self._item(_("History…"), self.show_history.emit, "history")
        self._item(_("Settings…"), self.show_settings.emit, "settings")
        self._item(_("Open Meta's status page"), self.open_status_page.emit, "status_page")
        self.addSeparator()
        self._item(_("Quit traywatch"), self.quit_requested.emit, "quit")

    def _label(self, text: str) -> QAction:
        action = self.addAction(text)
        action.setEnabled(False)
        return action

    def _item(self, text: str, slot: Callable[[], None], name: str) -> QAction:
        action = self.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(lambda _=False: slot())
        return action

    def texts(self) -> list[str]:
        """Visible texts, for tests and the self-check (sub-menus indented)."""
        out: list[str] = []
        for action in self.actions():
            if action.isSeparator():
                out.append("---")
                continue
            out.append(action.text())
            sub = action.menu()
            if isinstance(sub, QMenu):
                out.extend(f"  {a.text()}" for a in sub.actions())
        return out
