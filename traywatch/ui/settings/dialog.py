"""The settings dialog: pages for checking, notifications, general and the Meta account; OK, Cancel
and Apply. Values are checked as they are typed (the reason appears under the field and saving is
refused); saving writes only what changed to the config file (comments and other keys kept) and
emits `applied` with the new Config, which the app applies at once. A settings file that cannot
be read is never overwritten: the dialog says so and offers to open it or to start afresh.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.errors import ConfigError
from traywatch.core.settings import config_file
from traywatch.core.settings.config import Config, load_config, parse_config
from traywatch.core.settings.config_file import ConfigFileBroken
from traywatch.core.settings.form import Problem, SettingsValues, changes, problems, values_of
from traywatch.core.signed_in.credentials import CredentialStore
from traywatch.i18n import N_, _, render
from traywatch.platform.autostart import AutostartEntry
from traywatch.terminal import error_text
from traywatch.ui.icons import app_icon
from traywatch.ui.message_box import ask
from traywatch.ui.settings.account_page import AccountPage
from traywatch.ui.settings.checking_page import CheckingPage
from traywatch.ui.settings.fields import ProblemLabel, named
from traywatch.ui.settings.forward_page import ForwardPage
from traywatch.ui.settings.general_page import GeneralPage
from traywatch.ui.settings.notifications_page import NotificationsPage

log = logging.getLogger(__name__)
SAVED, NOTHING_CHANGED = N_("Saved."), N_("Nothing changed.")
STARTED_FRESH, STARTED_FRESH_KEPT = N_("Started fresh."), N_("Started fresh; the old file is {name}.")
Page = CheckingPage | NotificationsPage | GeneralPage | AccountPage | ForwardPage
P = TypeVar("P", CheckingPage, NotificationsPage, GeneralPage, AccountPage, ForwardPage)


def read_settings(path: Path) -> Config:
    """The settings file as it is now (ConfigFileBroken / ConfigError when it cannot be used)."""
    config_file.read_document(path)  # refuses what cannot be edited safely before anything else
    return load_config(path)


def all_services(config: Config) -> tuple[list[tuple[str, str]], list[str]]:
    """Every service the owner can choose ((id, name), catalogue order) and the custom ones."""
    raw = dict(config.raw)
    services = dict(raw.get("services", {})) if isinstance(raw.get("services"), dict) else {}
    services["disabled"] = []
    full = parse_config(
        {**raw, "services": services}, "settings", config.source.parent if config.source else None
    )
    custom = [c.get("id") for c in services.get("custom", []) if isinstance(c, dict)]
    return [(s.id, s.name) for s in full.catalogue.services], [c for c in custom if isinstance(c, str)]


class SettingsDialog(QDialog):
    applied = Signal(object)  # the Config now in the file

    def __init__(
        self,
        config_path: Path,
        *,
        autostart: AutostartEntry | None = None,
        credentials: CredentialStore | None = None,
        interval_override: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings_window")
        self.setWindowTitle(_("traywatch — settings"))
        self.setWindowIcon(app_icon())
        self.setAccessibleName(_("Settings"))
        self.config_path = config_path
        self.autostart = autostart
        self.credentials = credentials
        self.interval_override = interval_override
        self.config: Config | None = None
        self.initial: SettingsValues | None = None
        self.pages: list[Page] = []
        self.saved_note: tuple[str, dict[str, str]] | None = None  # msgid and values shown by `saved`
        self._services: tuple[list[tuple[str, str]], list[str]] = ([], [])

        self.banner = QLabel()
        self.banner.setObjectName("broken_file")
        self.banner.setWordWrap(True)
        self.open_broken = QPushButton(_("Open the file"))
        named(self.open_broken, "open_broken", _("Open the settings file to fix it"))
        self.fresh = QPushButton(_("Start &fresh…"))
        named(self.fresh, "start_fresh", _("Start with fresh settings (the old file is kept)"))
        for button in (self.open_broken, self.fresh):
            button.setAutoDefault(False)
        self.open_broken.clicked.connect(self._open_file)
        self.fresh.clicked.connect(self.start_fresh)
        banner_box = QWidget()
        banner_box.setObjectName("banner_box")
        banner_row = QHBoxLayout(banner_box)
        banner_row.setContentsMargins(0, 0, 0, 0)
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.open_broken)
        banner_row.addWidget(self.fresh)
        self.banner_box = banner_box
        banner_box.hide()

        self.tabs = QTabWidget()
        self.tabs.setObjectName("settings_tabs")
        self.tabs.setAccessibleName(_("Settings pages"))
        self.tabs.tabBar().setAccessibleName(_("Settings pages"))
        self.summary = ProblemLabel("summary")
        self.saved = QLabel()
        self.saved.setObjectName("saved")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
        )
        # Our own button texts: Qt has no translation of its standard ones for every language.
        for role, key, text, name in (
            (QDialogButtonBox.StandardButton.Ok, "ok", _("&OK"), _("Save and close")),
            (QDialogButtonBox.StandardButton.Cancel, "cancel", _("&Cancel"), _("Close without saving")),
            (QDialogButtonBox.StandardButton.Apply, "apply", _("&Apply"), _("Save")),
        ):
            self.buttons.button(role).setText(text)
            named(self.buttons.button(role), f"button_{key}", name)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        bottom = QHBoxLayout()
        bottom.addWidget(self.saved, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(banner_box)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary)
        layout.addLayout(bottom)

    # -- (re)building from the file --------------------------------------------------------------
    def present(self) -> None:
        """Read the file again (it may have been edited), show and bring to the front."""
        self.reload()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()

    def reload(self) -> None:
        try:
            config = read_settings(self.config_path)
        except ConfigFileBroken as exc:
            self._broken(
                _("Your settings file cannot be changed here: it {reason}").format(reason=render(exc.reason))
            )
            return
        except ConfigError as exc:
            self._broken(
                _("Your settings file has a value traywatch cannot use: {problem}").format(
                    problem=error_text(exc)
                )
            )
            return
        self.banner_box.hide()
        self.config = config
        self.initial = values_of(config)
        self._build_pages(config)
        for page in self.pages:
            page.load(self.initial)
        self.show_saved(None)
        self.validate()

    def _broken(self, message: str) -> None:
        log.warning("settings dialog: %s", message)
        self.config, self.initial = None, None
        self.banner.setText(
            _(
                "⚠ {problem}\nNothing will be written over it. Fix it in an editor, or start fresh "
                "(the old file is kept beside the new one)."
            ).format(problem=message)
        )
        self.banner_box.show()
        self.tabs.setEnabled(False)
        self._set_saving(False)

    def _build_pages(self, config: Config) -> None:
        services, custom = all_services(config)
        if self.pages and (services, custom) == self._services:
            self.tabs.setEnabled(True)
            return  # same services: keep the pages (and where the keyboard focus is)
        self._services = (services, custom)
        current = self.tabs.currentIndex()
        self.tabs.clear()
        for old in self.pages:
            old.setParent(None)
            old.deleteLater()
        checking = CheckingPage(services, custom, self.interval_override)
        self.pages = [
            checking,
            NotificationsPage(),
            GeneralPage(self.config_path, self.autostart),
            AccountPage(self.credentials),
            ForwardPage(self.config_path),
        ]
        for page, title in zip(
            self.pages,
            (_("&Checking"), _("&Notifications"), _("&General"), _("&Meta account"), _("F&orwarding")),
            strict=True,
        ):
            page.changed.connect(self.validate)
            self.tabs.addTab(page, title)
        self.page(ForwardPage).saved_config.connect(self.applied)
        self.tabs.setCurrentIndex(max(0, current))
        self.tabs.setEnabled(True)
        hint = self.sizeHint()
        self.resize(max(600, hint.width()), max(self.height() if self.isVisible() else 0, hint.height()))

    # -- values ------------------------------------------------------------------------------------
    def values(self) -> SettingsValues | None:
        if self.initial is None:
            return None
        values = self.initial
        for page in self.pages:
            values = page.read(values)
        return values

    def page(self, kind: type[P]) -> P:
        return next(p for p in self.pages if isinstance(p, kind))

    def validate(self) -> list[Problem]:
        values = self.values()
        if values is None:
            return []
        found = problems(values, self.page(CheckingPage).service_ids())
        for page in self.pages:
            page.show_problems(found)
        if found:
            self.summary.show_problems(
                [
                    Problem(
                        "summary",
                        _("Not saved until this is fixed: {problem}").format(
                            problem=render(found[0].message)
                        ),
                    )
                ]
            )
        else:
            self.summary.show_problems([])
        self._set_saving(not found)
        return found

    def _set_saving(self, allowed: bool) -> None:
        for role in (QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Apply):
            self.buttons.button(role).setEnabled(allowed)

    # -- saving ------------------------------------------------------------------------------------
    def apply(self) -> bool:
        """Save what changed (file, login item, keyring); True when everything worked."""
        values = self.values()
        if values is None or self.initial is None or self.validate():
            return False
        wanted = changes(self.initial, values)
        if wanted:
            try:
                saved = config_file.save(self.config_path, wanted)
            except ConfigFileBroken as exc:
                self._broken(
                    _("Your settings file cannot be changed here: it {reason}").format(
                        reason=render(exc.reason)
                    )
                )
                return False
            except ConfigError as exc:
                self.summary.show_problems(
                    [Problem("summary", _("Not saved: {problem}").format(problem=error_text(exc)))]
                )
                return False
            self.config, self.initial = saved.config, values
            self.applied.emit(saved.config)
        failures = [
            reason
            for reason in (self.page(GeneralPage).apply_login(), self.page(AccountPage).apply())
            if reason
        ]
        if failures:
            self.summary.show_problems(
                [
                    Problem(
                        "summary",
                        _("Not everything was saved: {reasons}").format(
                            reasons="; ".join(map(render, failures))
                        ),
                    )
                ]
            )
            return False
        self.show_saved(SAVED if wanted else NOTHING_CHANGED)
        return True

    def accept(self) -> None:
        if self.config is None:  # a broken file: nothing to save, just close
            super().reject()
            return
        if self.apply():
            super().accept()

    def start_fresh(self) -> None:
        if ask(
            self,
            _("Start with fresh settings?"),
            _(
                "The current file will be kept as {name}.broken-… beside the new one, "
                "and traywatch starts from its default settings."
            ).format(name=self.config_path.name),
        ):
            self.start_fresh_now()

    def start_fresh_now(self) -> Path | None:
        moved = config_file.start_fresh(self.config_path)
        self.reload()
        if self.config is not None:
            self.applied.emit(self.config)
            self.show_saved(STARTED_FRESH_KEPT, name=moved.name) if moved else self.show_saved(STARTED_FRESH)
        return moved

    def show_saved(self, note: str | None, **values: str) -> None:
        """The note beside the buttons ("Saved."), kept as its msgid so a new language can say it."""
        self.saved_note = None if note is None else (note, values)
        self.saved.setText("" if note is None else _(note).format(**values))

    def _open_file(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.config_path)))
