"""The tray menu, rebuilt each time it opens from the latest snapshot and the pause state.

It opens many times over a long run, so a rebuild must leave nothing behind: the pause sub-menu
is made once and put back (one made by addMenu() at each opening stayed alive as the menu's
child, with its actions: ~14 KB an opening), and the items answer through one `triggered`
connection per menu, not a new slot per item.
"""

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
        self._emit: dict[str, Callable[[], None]] = {
            "check_now": self.check_now.emit,
            "resume": self.resume.emit,
            "history": self.show_history.emit,
            "settings": self.show_settings.emit,
            "status_page": self.open_status_page.emit,
            "quit": self.quit_requested.emit,
        }
        # No Qt parent: clear() leaves it alone and it is put back at each rebuild (kept alive
        # by this attribute, freed with the menu).
        self._pause_menu = QMenu()
        self._pause_menu.setObjectName("pause_menu")
        self._pause_choices: dict[QAction, PauseChoice] = {}
        for choice in PauseChoice:
            act = self._pause_menu.addAction(pause_label(choice))
            act.setObjectName(f"pause:{choice.value}")
            self._pause_choices[act] = choice
        self._pause_menu.triggered.connect(self._paused)
        self.triggered.connect(self._chosen)
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
        self._item(_("Check now"), "check_now")
        self._pause_menu.setTitle(_("Pause notifications"))
        for act, choice in self._pause_choices.items():
            act.setText(pause_label(choice))  # the language may have changed since
        self.addMenu(self._pause_menu)
        resume = self._item(_("Resume notifications"), "resume")
        resume.setEnabled(state.paused_until is not None)
        self.addSeparator()
        self._item(_("History…"), "history")
        self._item(_("Settings…"), "settings")
        self._item(_("Open Meta's status page"), "status_page")
        self.addSeparator()
        self._item(_("Quit traywatch"), "quit")

    def _label(self, text: str) -> QAction:
        action = self.addAction(text)
        action.setEnabled(False)
        return action

    def _item(self, text: str, name: str) -> QAction:
        action = self.addAction(text)
        action.setObjectName(name)
        return action

    def _chosen(self, action: QAction) -> None:
        # QMenu.triggered also comes for the pause sub-menu's items (answered in _paused)
        emit = self._emit.get(action.objectName())
        if emit is not None:
            emit()

    def _paused(self, action: QAction) -> None:
        choice = self._pause_choices.get(action)
        if choice is not None:
            self.pause.emit(choice)

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
