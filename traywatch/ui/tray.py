"""The tray icon: shows the confirmed verdict (icon shape and colour, tooltip) and owns the menu.

The icon variant follows the panel: re-rendered when the palette or colour scheme changes.
"""

from __future__ import annotations

import logging
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QSystemTrayIcon

from traywatch.core.models import MonitorSnapshot
from traywatch.core.notify.pause import PauseState
from traywatch.ui.icons import IconKind, PanelTheme, kind_for, make_icon, panel_theme
from traywatch.ui.status_text import WINDOWS_TOOLTIP_MAX, tooltip
from traywatch.ui.tray_menu import MenuState, TrayMenu

log = logging.getLogger(__name__)
# Windows cuts tray tooltips at 127 characters: there the tooltip is the short form that fits.
TOOLTIP_LIMIT = WINDOWS_TOOLTIP_MAX if sys.platform == "win32" else None


class TrayIcon(QObject):
    """A QSystemTrayIcon plus its menu, kept in step with the latest snapshot and the pause."""

    shown = Signal(float)  # seconds since the process started, when the host has placed the icon

    def __init__(self, pause: PauseState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pause = pause
        self.snapshot: MonitorSnapshot | None = None
        self.problems: tuple[str, ...] = ()
        self.icon = QSystemTrayIcon(self)
        self.menu = TrayMenu(self.menu_state)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        self._shown_icon: tuple[IconKind, PanelTheme] | None = None
        self._placed_poll = QTimer(self)
        self._placed_poll.setInterval(20)
        self._placed_poll.timeout.connect(self._check_placed)
        self._closed = False
        # The menu (a widget) is told when the application palette changes. Filtering the
        # application itself would route every event of the process through Python.
        self.menu.installEventFilter(self)
        if QGuiApplication.instance() is not None:
            QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)
        self.refresh()

    # -- state ---------------------------------------------------------------------------------
    def menu_state(self) -> MenuState:
        return MenuState(self.snapshot, self.pause.until if self.pause.active else None, self.problems)

    def set_problems(self, problems: tuple[str, ...]) -> None:
        """Start-up problems to show in the menu and tooltip until the app restarts."""
        self.problems = problems
        self.refresh()

    def current_kind(self) -> IconKind:
        verdict = self.snapshot.verdict if self.snapshot is not None else None
        return kind_for(verdict, paused=self.pause.active)

    def show_snapshot(self, snapshot: MonitorSnapshot) -> None:
        """Show a snapshot whose verdict is confirmed (before the first confirmation: 'checking')."""
        self.snapshot = snapshot
        self.refresh()

    def refresh(self) -> None:
        """Apply icon (only when it changed) and tooltip for the current state and panel."""
        if self._closed:
            return
        wanted = (self.current_kind(), panel_theme())
        if wanted != self._shown_icon:
            self.icon.setIcon(make_icon(*wanted))
            self._shown_icon = wanted
            log.info("tray icon now %s (%s panel)", wanted[0].value, wanted[1].value)
        paused_until = self.pause.until if self.pause.active else None
        self.icon.setToolTip(tooltip(self.snapshot, paused_until, self.problems, limit=TOOLTIP_LIMIT))

    def close(self) -> None:
        """Hide the icon and stop following the palette (before the object goes away)."""
        self._closed = True
        self.menu.removeEventFilter(self)
        if QGuiApplication.instance() is not None:
            QGuiApplication.styleHints().colorSchemeChanged.disconnect(self._on_scheme_changed)
        self._placed_poll.stop()
        self.icon.hide()
        # Let go of the menu here: left set, shiboken could free the menu before the icon at
        # garbage collection, and the icon's destructor would then touch a dead menu (a crash).
        self.icon.setContextMenu(None)  # type: ignore[arg-type]

    # -- visibility ----------------------------------------------------------------------------
    def show(self) -> None:
        if not self.icon.isVisible():
            self.icon.show()
            self._placed_poll.start()

    def reattach(self) -> None:
        """A tray host came back: register the icon with it again."""
        self.icon.hide()
        self.icon.show()
        self._placed_poll.start()

    def _check_placed(self) -> None:
        # XEmbed hosts place the icon asynchronously; D-Bus hosts report no geometry at all.
        placed = not self.icon.geometry().isEmpty()
        if placed or self._placed_poll.property("ticks") == 100:
            self._placed_poll.stop()
            self._placed_poll.setProperty("ticks", 0)
            since_start = time.time() - _process_start()
            if placed:
                geo = self.icon.geometry()
                log.info("tray icon placed at %d,%d %dx%d", geo.x(), geo.y(), geo.width(), geo.height())
            else:
                log.info("tray icon registered; the host reports no position (D-Bus trays do not)")
            log.info("tray icon shown (%s) %.3f s after launch", self.current_kind().value, since_start)
            self.shown.emit(since_start)
            return
        self._placed_poll.setProperty("ticks", int(self._placed_poll.property("ticks") or 0) + 1)

    @property
    def visible(self) -> bool:
        return self.icon.isVisible()

    # -- events --------------------------------------------------------------------------------
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # A left click opens the menu too (macOS does that by itself).
        if reason == QSystemTrayIcon.ActivationReason.Trigger and sys.platform != "darwin":
            self.menu.popup(QCursor.pos())

    def _on_scheme_changed(self, _scheme: object) -> None:
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange and watched is self.menu:
            QTimer.singleShot(0, self.refresh)
        return False


def _process_start() -> float:
    """Wall-clock time this process started (Linux: from /proc; elsewhere: when we were imported)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return time.time() - uptime + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return _IMPORTED_AT


_IMPORTED_AT = time.time()
