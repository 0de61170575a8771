"""The fallback when no system tray exists: a small always-available window with the same status.

It says why it is there ("no system tray found"), shows the verdict icon, the summary and a line
per service, and offers the menu's main actions. Closing it minimises it; Quit quits.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from traywatch.core.models import MonitorSnapshot
from traywatch.i18n import N_, _, render
from traywatch.ui.icons import kind_for, make_icon, panel_theme
from traywatch.ui.status_text import headline, last_check, pause_line, problem_line, service_rows

NO_TRAY_REASON = N_(
    "No system tray was found on this desktop (or it has not started yet), so traywatch shows "
    "its status in this window. The tray icon appears by itself as soon as a tray is available."
)


class StatusWindow(QWidget):
    check_now = Signal()
    show_history = Signal()
    show_settings = Signal()
    quit_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("status_window")
        self.setWindowTitle("traywatch")
        self.reason = QLabel(_(NO_TRAY_REASON))
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.icon = QLabel()
        self.icon.setFixedSize(48, 48)
        self.title = QLabel()
        self.title.setObjectName("title")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.details = QLabel()
        self.details.setObjectName("details")
        # what a round found may carry network text (host names, Meta Status): never rich text
        for label in (self.title, self.summary, self.details):
            label.setTextFormat(Qt.TextFormat.PlainText)
        head = QHBoxLayout()
        head.addWidget(self.icon)
        head.addWidget(self.title, 1)
        buttons = QHBoxLayout()
        for text, signal in (
            (_("Check now"), self.check_now),
            (_("History…"), self.show_history),
            (_("Settings…"), self.show_settings),
            (_("Quit"), self.quit_requested),
        ):
            button = QPushButton(text)
            button.clicked.connect(signal.emit)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        self.resize(460, 300)
        self.show_state(None, None)

    def show_state(
        self,
        snapshot: MonitorSnapshot | None,
        paused_until: datetime | None,
        problems: tuple[str, ...] = (),
    ) -> None:
        verdict = snapshot.verdict if snapshot is not None else None
        kind = kind_for(verdict, paused=paused_until is not None)
        self.setWindowIcon(make_icon(kind, panel_theme()))
        self.icon.setPixmap(make_icon(kind, panel_theme()).pixmap(48, 48))
        self.title.setText(headline(snapshot))
        self.setWindowTitle(_("traywatch — {verdict}").format(verdict=headline(snapshot)))
        self.summary.setText(
            render(snapshot.summary) if snapshot is not None else _("The first check is running…")
        )
        lines = [problem_line(p) for p in problems]
        lines += [row.text for row in service_rows(snapshot)]
        if paused_until is not None:
            lines.append(pause_line(paused_until))
        if snapshot is not None:
            lines.append(last_check(snapshot.round.checked_at))
        self.details.setText("\n".join(lines))

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()  # always available: closing only minimises (Quit quits)
        self.showMinimized()
