"""A language chosen in Settings is spoken at once, without a restart: the tray menu and tooltip,
the open status and settings windows (built again where they were), and what is notified next;
Qt's own texts follow through its qtbase catalogue."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from tests.ui.helpers import bracketed
from tests.ui.test_ui_controller import FakeService
from tests.ui.test_ui_language import ALLOWED
from traywatch.core.settings.config import Config
from traywatch.i18n import Template, current_language, set_language
from traywatch.ui.controller import AppController
from traywatch.ui.language import apply_language, qt_translator
from traywatch.ui.reachability import ReachabilityHint
from traywatch.ui.settings.general_page import GeneralPage
from traywatch.ui.status_text import tooltip

TITLE = Template("test.ui_language.title", "Meta is down")


@pytest.fixture
def controller(qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppController]:
    """The app in English, with a bracketing translation for every other language."""
    bracketed.install(monkeypatch)
    apply_language("en")
    config_path = tmp_path / "config.toml"
    config_path.write_text("# my settings\n[check]\ninterval = 60\n", "utf-8")
    app = AppController(
        Config(), config_path, tmp_path / "history.sqlite3", FakeService(),  # type: ignore[arg-type]
        ReachabilityHint(load_backend=False), tray_wait_s=0.2,
    )  # fmt: skip
    yield app
    app.shutdown()
    for window in (app.status_window, app.history_window, app.settings_window):
        if window is not None:
            window.deleteLater()
    apply_language("en")


def choose(app: AppController, qtbot: QtBot, code: str) -> None:
    """Pick a language on the General page and press Apply; wait for the windows built again."""
    dialog = app.settings_window
    assert dialog is not None
    combo = dialog.page(GeneralPage).language
    combo.setCurrentIndex(combo.findData(code))
    dialog.buttons.button(dialog.buttons.StandardButton.Apply).click()
    qtbot.waitUntil(lambda: app.settings_window is not dialog and app.settings_window is not None)


def test_choosing_a_language_in_settings_switches_what_is_open(
    controller: AppController, qtbot: QtBot, tmp_path: Path
) -> None:
    app = controller
    app.start()
    qtbot.waitUntil(lambda: app.status_window is not None and app.status_window.isVisible())
    app.show_window("history")
    old_history = app.history_window
    assert old_history is not None
    old_history.range_bar.combo.setCurrentIndex(2)  # the last 30 days
    app.show_window("settings")
    old_status, old_settings = app.status_window, app.settings_window
    assert old_status is not None and old_settings is not None
    old_settings.tabs.setCurrentIndex(old_settings.tabs.indexOf(old_settings.page(GeneralPage)))
    old_settings.move(old_settings.x() + 37, old_settings.y() + 23)
    where = old_settings.geometry()
    assert "[[" not in app.tray.menu.texts()[0] and "[[" not in old_status.windowTitle()

    choose(app, qtbot, "de")

    assert current_language() == "de"
    saved = tomllib.loads((tmp_path / "config.toml").read_text("utf-8"))
    assert saved["ui"]["language"] == "de" and saved["check"]["interval"] == 60
    # the tray: menu and tooltip
    menu = list(bracketed.menu_texts(app.tray.menu))
    assert bracketed.untranslated(menu, ALLOWED) == [] and "[[Check now]]" in app.tray.menu.texts()
    assert bracketed.untranslated([("tooltip", app.tray.icon.toolTip())], ALLOWED) == []
    # the status window: a new one, shown where the old one was
    status = app.status_window
    assert status is not None and status is not old_status and status.isVisible()
    assert not old_status.isVisible()
    assert bracketed.untranslated(bracketed.shown_texts(status), ALLOWED) == []
    # the history window: the same period, in the new language
    history = app.history_window
    assert history is not None and history is not old_history and history.isVisible()
    assert history.range_bar.combo.currentText() == "[[Last 30 days]]"
    assert history.windowTitle() == "[[traywatch — history]]"
    # the settings dialog itself: built again at the same place, on the same page, saying it saved
    dialog = app.settings_window
    assert dialog is not None and dialog.isVisible() and not old_settings.isVisible()
    assert dialog.geometry() == where
    assert dialog.tabs.currentWidget() is dialog.page(GeneralPage)
    assert dialog.page(GeneralPage).language.currentData() == "de"
    assert dialog.saved.text() == "[[Saved.]]"
    texts = [t for t in bracketed.shown_texts(dialog) if "problem_" not in t[0]]
    assert bracketed.untranslated(texts, [*ALLOWED, str(tmp_path / "config.toml")]) == []

    # back to the system's language (English here): the brackets go
    choose(app, qtbot, "auto")
    assert current_language() == "en"
    assert app.tray.menu.texts()[-1] == "Quit traywatch"
    assert app.status_window is not None and "[[" not in app.status_window.windowTitle()


def test_notifications_sent_after_a_switch_use_the_new_language(controller: AppController, bus: Any) -> None:
    conn, notes = bus
    notes.notify(TITLE(), "<b>not markup</b>")
    set_language("de")
    notes.notify(TITLE(), TITLE())
    first, second = conn.sent[-2][1].body, conn.sent[-1][1].body
    assert (first[3], first[4], first[5][1]) == (
        "Meta is down",
        "&lt;b&gt;not markup&lt;/b&gt;",
        "Open history",
    )
    assert (second[3], second[4], second[5][1]) == (
        "[[Meta is down]]",
        "[[Meta is down]]",
        "[[Open history]]",
    )
    assert tooltip(None).splitlines()[1] == "[[Checking your internet and Meta… (first check running)]]"


def test_german_loads_qts_own_german_and_indonesian_has_none(qapp: object) -> None:
    try:
        assert apply_language("de") == "de"
        translator = qt_translator()
        assert translator is not None and Path(translator.filePath()).name == "qtbase_de.qm"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
        assert apply_language("pt_BR") == "pt_BR"
        assert Path(qt_translator().filePath()).name == "qtbase_pt_BR.qm"  # type: ignore[union-attr]
        # Qt ships no Indonesian: its few own texts stay English (our dialogs name their buttons)
        assert apply_language("id") == "id"
        assert qt_translator() is None
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        apply_language("en")
    assert qt_translator() is None and current_language() == "en"
