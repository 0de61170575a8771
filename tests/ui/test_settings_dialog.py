"""The settings dialog: settings round-trip through the config file (comments and unknown keys
kept), bad values are refused with a reason, a broken file is never overwritten, start at login
and the Meta account work, and the whole dialog is usable by keyboard, named, and dark-palette safe."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.ui.helpers.keyboard import contrast, controls, dark_palette, tab_chain, unnamed
from tests.unit.official.keyrings import MEMORY, MemoryKeyring
from traywatch.core.settings.config import Config, load_config
from traywatch.core.signed_in.credentials import GRAPH_TOKEN, WHATSAPP_PHONE_ID, CredentialStore
from traywatch.platform.autostart import AutostartError, autostart_command
from traywatch.ui.settings.account_page import NOT_AVAILABLE, AccountPage
from traywatch.ui.settings.checking_page import CheckingPage
from traywatch.ui.settings.dialog import SettingsDialog

OWNER_TEXT = """\
# Settings for the shop PC
[check]
interval = 60   # once a minute
timeout = 8

[services]
disabled = ["threads"]  # we do not sell on Threads

[network]
allow_local_addresses = false  # untouched by the dialog

[mine]
note = "unknown keys stay"
"""
TOKEN = "EAAB" + "x7Yq2" * 8


class FakeLogin:
    location = "~/.config/autostart/traywatch.desktop"

    def __init__(self, enabled: bool = False, fail: str | None = None) -> None:
        self.enabled, self.fail = enabled, fail
        self.commands: list[list[str]] = []

    def is_enabled(self) -> bool:
        if self.fail:
            raise AutostartError(self.fail)
        return self.enabled

    def enable(self, command: list[str]) -> None:
        self.enabled = True
        self.commands.append(command)

    def disable(self) -> None:
        self.enabled = False


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    path.write_text(OWNER_TEXT, "utf-8")
    return path


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def dialog(
    qtbot: QtBot, config_path: Path, tmp_path: Path, keyring: MemoryKeyring
) -> Iterator[SettingsDialog]:
    store = CredentialStore(
        tmp_path / "account.json", backend=keyring, secure_backends={MEMORY: "Test keyring"}
    )
    dlg = SettingsDialog(config_path, autostart=FakeLogin(), credentials=store)
    qtbot.addWidget(dlg)
    dlg.present()
    account = dlg.page(AccountPage)
    qtbot.waitUntil(lambda: account.info is not None, timeout=10_000)
    yield dlg


W = TypeVar("W", bound=QWidget)


def field(dlg: SettingsDialog, kind: type[W], name: str) -> W:
    widget = dlg.findChild(kind, name)
    assert isinstance(widget, kind), name
    return widget


def button(dlg: SettingsDialog, which: QDialogButtonBox.StandardButton) -> QPushButton:
    return dlg.buttons.button(which)


def test_settings_round_trip_through_the_file_keeping_comments_and_unknown_keys(
    dialog: SettingsDialog, config_path: Path
) -> None:
    assert field(dialog, QSpinBox, "interval").value() == 60
    assert not field(dialog, QCheckBox, "service:threads").isChecked()
    applied: list[Config] = []
    dialog.applied.connect(applied.append)
    field(dialog, QSpinBox, "interval").setValue(120)
    field(dialog, QCheckBox, "service:instagram").setChecked(False)
    field(dialog, QCheckBox, "kind:meta_partial").setChecked(False)
    field(dialog, QCheckBox, "quiet").setChecked(True)
    field(dialog, QTimeEdit, "quiet_from").setTime(QTime(21, 30))
    field(dialog, QSpinBox, "retention").setValue(30)
    assert dialog.apply()
    text = config_path.read_text("utf-8")
    for kept in ("# Settings for the shop PC", "# once a minute", "# we do not sell on Threads",
                 "# untouched by the dialog", 'note = "unknown keys stay"', "timeout = 8\n"):  # fmt: skip
        assert kept in text, kept
    data = tomllib.loads(text)
    assert data["check"] == {"interval": 120, "timeout": 8}
    assert data["services"]["disabled"] == ["threads", "instagram"]
    assert data["notifications"] == {
        "kinds": ["internet_down", "network_limited", "meta_down"],
        "quiet_hours": "21:30-07:00",
    }
    assert data["history"] == {"retention_days": 30}
    assert config_path.with_name("config.toml.bak").read_text("utf-8") == OWNER_TEXT
    (config,) = applied
    assert config.check.interval_s == 120 and "instagram" not in {s.id for s in config.catalogue.services}
    assert config == load_config(config_path)
    assert dialog.saved.text() == "Saved."
    dialog.present()  # opened again: the file's values
    assert field(dialog, QSpinBox, "interval").value() == 120
    assert not field(dialog, QCheckBox, "service:instagram").isChecked()
    assert field(dialog, QTimeEdit, "quiet_from").time() == QTime(21, 30)
    assert dialog.apply() and dialog.saved.text() == "Nothing changed."


def test_bad_values_are_refused_with_a_reason(dialog: SettingsDialog, config_path: Path) -> None:
    interval = field(dialog, QSpinBox, "interval")
    interval.setValue(5)
    reason = field(dialog, QLabel, "problem_interval")
    assert reason.isVisibleTo(dialog) and "at least 10 seconds" in reason.text()
    assert not button(dialog, QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert not button(dialog, QDialogButtonBox.StandardButton.Apply).isEnabled()
    assert "Not saved until this is fixed" in dialog.summary.text()
    assert not dialog.apply()
    assert config_path.read_text("utf-8") == OWNER_TEXT
    interval.setValue(20)
    field(dialog, QSpinBox, "timeout").setValue(30)
    assert (
        "at most as long as the time between checks (20 s)" in field(dialog, QLabel, "problem_timeout").text()
    )
    field(dialog, QSpinBox, "timeout").setValue(8)
    for check in dialog.page(CheckingPage).service_boxes.values():
        check.setChecked(False)
    assert field(dialog, QLabel, "problem_services").text() == "⚠ Watch at least one service."
    field(dialog, QCheckBox, "service:facebook").setChecked(True)
    field(dialog, QCheckBox, "quiet").setChecked(True)
    field(dialog, QTimeEdit, "quiet_to").setTime(QTime(22, 0))
    assert "different times" in field(dialog, QLabel, "problem_quiet_hours").text()
    field(dialog, QTimeEdit, "quiet_to").setTime(QTime(6, 30))
    assert dialog.validate() == [] and button(dialog, QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert not dialog.summary.isVisibleTo(dialog)


def test_enter_saves_and_closes_escape_closes_without_saving(
    dialog: SettingsDialog, qtbot: QtBot, config_path: Path
) -> None:
    interval = field(dialog, QSpinBox, "interval")
    dialog.activateWindow()
    interval.setFocus()
    interval.setValue(90)
    qtbot.keyClick(interval, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and config_path.read_text("utf-8") == OWNER_TEXT
    dialog.present()
    interval = field(dialog, QSpinBox, "interval")
    assert interval.value() == 60
    interval.setFocus()
    interval.setValue(90)
    qtbot.keyClick(interval, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert load_config(config_path).check.interval_s == 90


def test_keyboard_reaches_every_control_on_every_page_and_all_are_named(
    dialog: SettingsDialog, qtbot: QtBot
) -> None:
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        assert unnamed(dialog) == [], dialog.tabs.tabText(index)
        chain = tab_chain(qtbot, dialog, dialog.tabs.tabBar())
        missing = [f"{type(w).__name__} {w.objectName()}" for w in controls(dialog) if w not in chain]
        assert missing == [], dialog.tabs.tabText(index)


def test_a_broken_file_is_never_overwritten_and_starting_fresh_keeps_it(
    qtbot: QtBot, config_path: Path
) -> None:
    config_path.write_text("[check\ninterval = 60\n", "utf-8")
    dlg = SettingsDialog(config_path)
    qtbot.addWidget(dlg)
    dlg.present()
    assert dlg.banner_box.isVisibleTo(dlg) and "not valid TOML" in dlg.banner.text()
    assert not dlg.tabs.isEnabled() and not button(dlg, QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert not dlg.apply()
    assert config_path.read_text("utf-8") == "[check\ninterval = 60\n"
    applied: list[Config] = []
    dlg.applied.connect(applied.append)
    moved = dlg.start_fresh_now()
    assert moved is not None and moved.read_text("utf-8") == "[check\ninterval = 60\n"
    assert not dlg.banner_box.isVisibleTo(dlg) and dlg.tabs.isEnabled()
    assert applied and applied[0].check.interval_s == 60
    field(dlg, QSpinBox, "interval").setValue(45)
    assert dlg.apply() and load_config(config_path).check.interval_s == 45


def test_a_value_traywatch_cannot_use_is_explained(qtbot: QtBot, config_path: Path) -> None:
    config_path.write_text("[check]\ninterval = 2\n", "utf-8")
    dlg = SettingsDialog(config_path)
    qtbot.addWidget(dlg)
    dlg.present()
    assert "cannot use" in dlg.banner.text() and "at least 10 seconds" in dlg.banner.text()


def test_start_at_login_writes_or_removes_the_login_item(qtbot: QtBot, config_path: Path) -> None:
    login = FakeLogin()
    dlg = SettingsDialog(config_path, autostart=login)
    qtbot.addWidget(dlg)
    dlg.present()
    box = field(dlg, QCheckBox, "start_at_login")
    assert not box.isChecked()
    box.setChecked(True)
    assert dlg.apply() and login.enabled and login.commands == [autostart_command()]
    assert config_path.read_text("utf-8") == OWNER_TEXT  # not a config key: the entry is the truth
    box.setChecked(False)
    assert dlg.apply() and not login.enabled
    broken = SettingsDialog(config_path, autostart=FakeLogin(fail="cannot read ~/.config/autostart"))
    qtbot.addWidget(broken)
    broken.present()
    assert "cannot read" in field(broken, QLabel, "problem_start_at_login").text()


def test_meta_account_token_goes_to_the_keyring_only(
    dialog: SettingsDialog, qtbot: QtBot, keyring: MemoryKeyring, config_path: Path
) -> None:
    page = dialog.page(AccountPage)
    assert page.status.text().startswith("No token stored")
    token = field(dialog, QLineEdit, "token")
    assert token.echoMode() == QLineEdit.EchoMode.Password
    token.setText("not a token")
    assert not dialog.apply()
    assert "does not look like a Graph API access token" in field(dialog, QLabel, "problem_account").text()
    token.setText(TOKEN)
    field(dialog, QLineEdit, "phone_id").setText("106540352242922")
    assert dialog.apply()
    assert keyring.items[("traywatch", GRAPH_TOKEN.value)] == TOKEN
    assert keyring.items[("traywatch", WHATSAPP_PHONE_ID.value)] == "106540352242922"
    assert token.text() == "" and TOKEN not in config_path.read_text("utf-8")
    qtbot.waitUntil(lambda: "A token is stored in Test keyring" in page.status.text(), timeout=10_000)
    assert "EAAB…7Yq2" in page.status.text() and TOKEN not in page.status.text()
    assert "EAAB…" in token.placeholderText()
    page.remove.click()
    assert keyring.items == {}
    qtbot.waitUntil(lambda: page.status.text().startswith("No token stored"), timeout=10_000)
    field(dialog, QCheckBox, "account_enabled").setChecked(False)
    assert dialog.apply() and tomllib.loads(config_path.read_text("utf-8"))["account"] == {"enabled": False}


def test_meta_account_page_without_credentials_says_so(qtbot: QtBot) -> None:
    page = AccountPage(None)
    qtbot.addWidget(page)
    assert page.status.text() == NOT_AVAILABLE and not page.token.isEnabled()


def test_dark_palette_renders_and_reasons_stay_readable(dialog: SettingsDialog) -> None:
    dialog.setPalette(dark_palette())
    field(dialog, QSpinBox, "interval").setValue(5)
    QApplication.processEvents()
    assert not dialog.grab().toImage().isNull()
    reason = field(dialog, QLabel, "problem_interval")
    colour = reason.palette().color(reason.foregroundRole())
    assert contrast(colour, dialog.palette().color(dialog.backgroundRole())) >= 4.5
