"""Settings › Notifications: the quiet hours read whole in every language. A checkbox says what
they do, and a row of labelled time fields ("From [22:00] Until [07:00]") says when, instead of a
sentence split around the two fields. The labels are translated, move the focus to their field,
and the page's keyboard mnemonics stay unique in every language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.helpers import bracketed
from traywatch.core.settings.config import Config
from traywatch.core.settings.form import values_of
from traywatch.i18n import LANGUAGES, current_language, set_language
from traywatch.ui.settings.notifications_page import NotificationsPage


@pytest.fixture
def english_afterwards(qapp: object) -> Iterator[None]:
    before = current_language()
    yield
    set_language(before)


def page(qtbot: QtBot) -> NotificationsPage:
    shown = NotificationsPage()
    qtbot.addWidget(shown)
    shown.load(replace(values_of(Config()), notifications=True, quiet_hours="21:30-06:15"))
    return shown


def test_the_quiet_hours_texts_are_translated_whole(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, english_afterwards: None
) -> None:
    bracketed.install(monkeypatch)
    set_language("fr")
    shown = page(qtbot)
    assert shown.quiet.text() == "[[&Quiet hours (hold notifications)]]"
    assert shown.from_label.text() == "[[Fro&m]]" and shown.to_label.text() == "[[&Until]]"
    assert bracketed.untranslated(bracketed.shown_texts(shown)) == []


def test_the_time_fields_still_work_beside_their_labels(qtbot: QtBot) -> None:
    shown = page(qtbot)
    assert shown.quiet.isChecked()
    assert (shown.quiet_from.time(), shown.quiet_to.time()) == (QTime(21, 30), QTime(6, 15))
    assert shown.from_label.buddy() is shown.quiet_from and shown.to_label.buddy() is shown.quiet_to
    shown.quiet_to.setTime(QTime(7, 45))
    assert shown.read(values_of(Config())).quiet_hours == "21:30-07:45"
    shown.quiet.setChecked(False)
    off = (shown.from_label, shown.quiet_from, shown.to_label, shown.quiet_to)
    assert not any(w.isEnabled() for w in off)
    assert shown.read(values_of(Config())).quiet_hours == ""
    shown.quiet.setChecked(True)
    assert all(w.isEnabled() for w in off)


def mnemonics(root: QWidget) -> list[str]:
    found = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QAbstractButton | QLabel):
            match = re.search(r"&([^&\s])", widget.text().replace("&&", ""))
            if match:
                found.append(match.group(1).casefold())
    return found


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_page_s_mnemonics_stay_unique(lang: str, qtbot: QtBot, english_afterwards: None) -> None:
    set_language(lang)
    found = mnemonics(page(qtbot))
    assert len(found) >= 5 and len(found) == len(set(found)), found
