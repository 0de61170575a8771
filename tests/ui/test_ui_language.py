"""The tray app in the owner's language: every text it shows goes through the language layer
(found with a bracketing test translation), Qt's own texts follow, and a language chosen in
Settings is spoken at once by what is open, without a restart."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.helpers import bracketed
from tests.ui.helpers.rounds import snapshot
from traywatch.core.catalogue import load_catalogue
from traywatch.core.models import MonitorSnapshot, ServiceState, Verdict
from traywatch.i18n import LANGUAGES, Names, Template, current_language, formats, set_language

NAMES = {s.id: s.name for s in load_catalogue().services}
# Names and words that are the same in every language: services, languages in their own names.
ALLOWED = [*NAMES.values(), *LANGUAGES.values(), "traywatch"]
SUMMARY = Template("test.ui_language.summary", "Meta is down: {names} do not answer.")


@pytest.fixture
def bracketing(monkeypatch: pytest.MonkeyPatch, qapp: object) -> Iterator[None]:
    """German, said through the bracketing translation (English back at the end)."""
    bracketed.install(monkeypatch)
    before = current_language()
    set_language("de")
    yield
    set_language(before)


def meta_down() -> MonitorSnapshot:
    """A round whose summary is a message (as the core makes them)."""
    snap = snapshot(Verdict.META_DOWN, instagram=ServiceState.UNKNOWN)
    summary = SUMMARY(names=Names(["Facebook", "WhatsApp"]))
    return replace(snap, summary=summary, round=replace(snap.round, summary=summary))


def paused_until() -> datetime:
    return datetime.now().astimezone() + timedelta(hours=1)


def test_the_bracketing_translation_finds_english(bracketing: None) -> None:
    """The check itself: a bracketed text passes, English outside the brackets is found."""
    assert bracketed.english("[[{name} — down]]".format(name="Facebook")) == []
    assert bracketed.english("[[Paused until [[5 Mar]]: no notifications]]") == []
    assert bracketed.english("[[[[Last 7 days]] · read in 12 ms]]") == []
    assert bracketed.english("Facebook — down", ALLOWED) == ["down"]
    assert bracketed.english("[[Saved]] in /tmp/x", ["/tmp/x"]) == []


def test_tray_menu_and_tooltip_say_nothing_in_english(bracketing: None, qtbot: QtBot) -> None:
    from traywatch.core.notify.pause import PauseState
    from traywatch.ui.status_text import tooltip
    from traywatch.ui.tray_menu import MenuState, TrayMenu

    state = MenuState(meta_down(), paused_until(), (PROBLEM(line=3),))
    menu = TrayMenu(lambda: state)
    qtbot.addWidget(menu)
    texts = list(bracketed.menu_texts(menu))
    assert len(texts) > 20
    assert bracketed.untranslated(texts, ALLOWED) == []
    for limit in (None, 127):
        tip = tooltip(state.snapshot, state.paused_until, state.problems, limit=limit)
        assert bracketed.untranslated([("tooltip", tip)], ALLOWED) == []
    assert PauseState().active is False
    # before the first check
    empty = TrayMenu(lambda: MenuState(None, None))
    qtbot.addWidget(empty)
    assert bracketed.untranslated(bracketed.menu_texts(empty), ALLOWED) == []
    assert bracketed.untranslated([("tooltip", tooltip(None))], ALLOWED) == []


def test_status_window_says_nothing_in_english(bracketing: None, qtbot: QtBot) -> None:
    from traywatch.ui.status_window import StatusWindow

    window = StatusWindow()
    qtbot.addWidget(window)
    assert bracketed.untranslated(bracketed.shown_texts(window), ALLOWED) == []
    window.show_state(meta_down(), paused_until(), (PROBLEM(line=3),))
    found = bracketed.untranslated(bracketed.shown_texts(window), ALLOWED)
    assert found == []
    names = formats.list_join(["Facebook", "WhatsApp"], current_language())  # 'Facebook und WhatsApp'
    assert f"[[Meta is down: {names} do not answer.]]" in window.summary.text()


def test_settings_dialog_says_nothing_in_english(bracketing: None, qtbot: QtBot, tmp_path: Path) -> None:
    from traywatch.ui.settings.checking_page import CheckingPage
    from traywatch.ui.settings.dialog import SettingsDialog

    config_path = tmp_path / "config.toml"
    config_path.write_text("[check]\ninterval = 60\n", "utf-8")
    dialog = SettingsDialog(config_path)
    qtbot.addWidget(dialog)
    dialog.present()
    dialog.page(CheckingPage).interval.setValue(5)  # too short: a reason is shown
    assert dialog.summary.isVisible()
    found = bracketed.untranslated(bracketed.shown_texts(dialog), [*ALLOWED, str(config_path)])
    # the reasons a value is refused are the core's words (core/settings/form.py)
    assert [f for f in found if "problem_" not in f] == [], "\n".join(found)


def test_history_window_says_nothing_in_english(
    bracketing: None, qtbot: QtBot, prepared_history: Path
) -> None:
    from tests.ui.helpers.history_db import TEST_END
    from traywatch.ui.history.window import HistoryWindow

    window = HistoryWindow(prepared_history, lambda: NAMES, clock=lambda: TEST_END)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.present()
    texts = [
        (where, text)
        for where, text in bracketed.shown_texts(window)
        if "incident_detail" not in where  # what an incident was is the history's own words
    ]
    assert len(texts) > 50
    found = bracketed.untranslated(texts, ALLOWED)
    window.shutdown()
    assert found == [], "\n".join(found)


PROBLEM = Template("test.ui_language.problem", "Your settings file has a mistake on line {line}.")
