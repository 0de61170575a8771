"""INTERIM history and settings windows, honest placeholders until the real ones (a later issue).

`SessionHistoryWindow` lists what this run saw (rounds and alerts) and names the history file;
`ConfigFileWindow` shows the config file and opens it in the user's editor. The later issue
replaces both classes (the controller only calls `.present()`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.config import Config
from traywatch.ui.icons import app_icon
from traywatch.ui.session_log import SessionLog
from traywatch.ui.status_text import clock

CONFIG_TEMPLATE = """\
# traywatch settings (TOML). Every key is optional; delete a line to get the default.
# [check]
# interval = 60        # seconds between checks (at least 10)
# timeout = 8          # seconds one round may take
# confirm_delay = 15   # seconds before re-checking a change
# [notifications]
# enabled = true
# recovery = true      # also tell me when things work again
# [services]
# disabled = []        # e.g. ["threads"]
"""


class _Window(QWidget):
    def present(self) -> None:
        """Show, un-minimise and bring to the front."""
        self.refresh()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()

    def refresh(self) -> None:
        pass


class SessionHistoryWindow(_Window):
    """Interim history: this session's rounds and alerts (the stored history comes later)."""

    def __init__(self, log: SessionLog, history_file: Path) -> None:
        super().__init__()
        self.setObjectName("history_window")
        self.setWindowTitle("traywatch — history (this session)")
        self.setWindowIcon(app_icon())
        self.resize(640, 420)
        self.session = log
        self.history_file = history_file
        note = QLabel(
            "Checks and notifications since traywatch started. The full history, with outage "
            f"durations over weeks, is kept in:\n{history_file}"
        )
        note.setWordWrap(True)
        note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit(readOnly=True)
        self.text.setObjectName("history_text")
        folder = QPushButton("Open history folder")
        folder.clicked.connect(lambda: _open_folder(history_file.parent))
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(folder)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        lines: list[str] = []
        for entry in reversed(self.session.entries()):
            rnd = entry.round
            lines.append(f"{clock(rnd.checked_at)}  {rnd.verdict.value:<15} {rnd.summary}")
            for alert in entry.alerts:
                how = "notified" if entry.shown else "not shown (paused)"
                lines.append(f"          ALERT {alert.title} — {alert.message} [{how}]")
        self.text.setPlainText("\n".join(lines) or "No check has finished yet.")


class ConfigFileWindow(_Window):
    """Interim settings: where the config file is, the settings in force, and a way to edit it."""

    def __init__(self, config: Config, config_file: Path) -> None:
        super().__init__()
        self.setObjectName("settings_window")
        self.setWindowTitle("traywatch — settings")
        self.setWindowIcon(app_icon())
        self.config_file = config_file
        check = config.check
        services = ", ".join(s.name for s in config.catalogue.services)
        info = QLabel(
            f"Settings are read from this file when traywatch starts:\n{config_file}\n\n"
            f"Checking every {check.interval_s:g} s (each check may take up to {check.timeout_s:g} s; "
            f"a change is re-checked after {check.confirm_delay_s:g} s).\n"
            f"Services watched: {services}.\n\n"
            "Edit the file, then quit and start traywatch again."
        )
        info.setObjectName("settings_info")
        info.setWordWrap(True)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_file = QPushButton("Open config file")
        open_file.setObjectName("open_config")
        open_file.clicked.connect(self.open_config_file)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(open_file)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(buttons)
        self.resize(560, 240)

    def open_config_file(self) -> bool:
        """Open the file in the user's editor, creating a commented template first if missing."""
        if not self.config_file.exists():
            self.config_file.parent.mkdir(parents=True, exist_ok=True)
            self.config_file.write_text(CONFIG_TEMPLATE, encoding="utf-8")
        return _open(self.config_file)


def _open(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _open_folder(path: Path) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    return _open(path)
