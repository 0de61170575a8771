"""Settings page "General": the language, start at login, how long the detailed history is kept,
where the file is.

Start at login is not a config key: the login item on disk (XDG autostart entry, LaunchAgent, Run
key) is the truth, read when the dialog opens and written when the owner saves.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from traywatch.core.settings.config_file import HEADER
from traywatch.core.settings.form import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, Problem, SettingsValues
from traywatch.i18n import LANGUAGES, _, system_language
from traywatch.platform.autostart import AutostartEntry, AutostartError, autostart_command
from traywatch.ui.settings.fields import ProblemLabel, buddy, field_row, named, spin

log = logging.getLogger(__name__)


class GeneralPage(QWidget):
    changed = Signal()

    def __init__(
        self, config_file: Path, autostart: AutostartEntry | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.config_file = config_file
        self.autostart = autostart
        self.language = QComboBox()
        named(
            self.language, "language", _("Language"), _("The language traywatch speaks; it changes at once")
        )
        self.language.addItem(_("System language ({name})").format(name=LANGUAGES[system_language()]), "auto")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)  # each language in its own name
        self.login = QCheckBox(_("Start traywatch when I &log in"))
        named(self.login, "start_at_login", _("Start traywatch when I log in"))
        self.login_problem = ProblemLabel("start_at_login")
        self.retention = spin(
            "retention", _("Keep the detailed history (days)"), 0, MAX_RETENTION_DAYS * 10, _(" days")
        )
        self.retention.setToolTip(
            _(
                "Every check is kept this long ({low} to {high} days). Older ones are summed up per "
                "hour: uptime and reports still cover them, in less detail."
            ).format(low=MIN_RETENTION_DAYS, high=MAX_RETENTION_DAYS)
        )
        self.problem = ProblemLabel("retention")
        form = QFormLayout()
        form.addRow(buddy(_("Lang&uage:"), self.language), field_row(self.language))
        form.addRow(field_row(self.login, "", self.login_problem))
        form.addRow(
            buddy(_("Keep every check &for:"), self.retention),
            field_row(self.retention, _("older checks stay as hourly totals"), self.problem),
        )
        self.file_label = QLabel(str(config_file))
        self.file_label.setObjectName("config_path")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_label.setWordWrap(True)
        self.open_file = QPushButton(_("&Open the settings file"))
        named(
            self.open_file,
            "open_config",
            _("Open the settings file"),
            _("For advanced settings (network, catalogue)"),
        )
        self.open_file.setAutoDefault(False)
        self.open_file.clicked.connect(self.open_config_file)
        form.addRow(_("Settings file:"), self.file_label)
        form.addRow("", field_row(self.open_file))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        self.language.currentIndexChanged.connect(self.changed)
        self.login.toggled.connect(self.changed)
        self.retention.valueChanged.connect(self.changed)
        self.login_enabled = False

    def load(self, values: SettingsValues) -> None:
        self.retention.setValue(values.retention_days)
        found = self.language.findData(values.language)
        self.language.setCurrentIndex(max(0, found))
        self.login_enabled = False
        if self.autostart is None:
            self.login.setEnabled(False)
            self.login.setToolTip(_("Not available on this system"))
        else:
            try:
                self.login_enabled = self.autostart.is_enabled()
                self.login_problem.show_problems([])
            except AutostartError as exc:
                self.login_problem.show_problems([Problem("start_at_login", str(exc))])
        self.login.setChecked(self.login_enabled)

    def read(self, values: SettingsValues) -> SettingsValues:
        language = self.language.currentData()
        return replace(
            values,
            retention_days=self.retention.value(),
            language=language if isinstance(language, str) else "auto",
        )

    def login_changed(self) -> bool:
        return self.autostart is not None and self.login.isChecked() != self.login_enabled

    def apply_login(self) -> str | None:
        """Write or remove the login item if asked; the reason when that failed."""
        if not self.login_changed() or self.autostart is None:
            return None
        try:
            if self.login.isChecked():
                self.autostart.enable(autostart_command())
            else:
                self.autostart.disable()
        except AutostartError as exc:
            self.login_problem.show_problems([Problem("start_at_login", str(exc))])
            return str(exc)
        self.login_enabled = self.login.isChecked()
        log.info("start at login %s (%s)", "on" if self.login_enabled else "off", self.autostart.location)
        self.login_problem.show_problems([])
        return None

    def show_problems(self, problems: Sequence[Problem]) -> None:
        self.problem.show_problems(problems)

    def open_config_file(self) -> bool:
        """Open the file in the owner's editor (a short commented file is made when there is none)."""
        if not self.config_file.exists():
            self.config_file.parent.mkdir(parents=True, exist_ok=True)
            self.config_file.write_text(HEADER, encoding="utf-8")
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.config_file)))
