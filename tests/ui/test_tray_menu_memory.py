"""The tray menu over a long run: it is rebuilt at every opening, and 200 openings leave no more
Qt objects alive than one does (before: a new pause sub-menu each time; counted as `alive()`
does, 202 QMenus and 1631 QActions after 200 openings), and every item still answers exactly once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.ui.helpers.rounds import snapshot
from traywatch.core.models import Verdict
from traywatch.core.notify.pause import PauseChoice, PauseState
from traywatch.ui.tray import TrayIcon

FIXED_NOW = datetime(2026, 3, 5, 10, 0).astimezone()
OPENINGS = 200


@pytest.fixture
def tray(qapp: object) -> Iterator[TrayIcon]:
    t = TrayIcon(PauseState(clock=lambda: FIXED_NOW))
    t.show_snapshot(snapshot(Verdict.META_PARTIAL))
    yield t
    t.close()


def alive(tray: TrayIcon) -> tuple[int, int]:
    """QMenus and QActions under the menu (Qt children, the pause sub-menu's own included)."""
    menus = tray.menu.findChildren(QMenu)
    pause = [a.menu() for a in tray.menu.actions() if isinstance(a.menu(), QMenu)]
    everything = {id(m): m for m in [*menus, *pause]}
    actions = len(tray.menu.findChildren(QAction)) + sum(
        len(m.findChildren(QAction)) for m in everything.values()
    )
    return len(everything), actions


def open_menu(tray: TrayIcon) -> None:
    tray.menu.aboutToShow.emit()


def test_many_openings_keep_the_same_qt_objects(tray: TrayIcon) -> None:
    open_menu(tray)
    gc.collect()
    once = alive(tray)
    texts = tray.menu.texts()
    for _ in range(OPENINGS):
        open_menu(tray)
    gc.collect()
    assert alive(tray) == once, f"after {OPENINGS} openings: {alive(tray)}, after one: {once}"
    assert once[0] == 1  # the one pause sub-menu
    assert tray.menu.texts() == texts


def test_after_many_openings_every_item_answers_once(tray: TrayIcon, qtbot: QtBot) -> None:
    for _ in range(OPENINGS):
        open_menu(tray)
    heard: list[object] = []
    menu = tray.menu
    menu.check_now.connect(lambda: heard.append("check_now"))
    menu.resume.connect(lambda: heard.append("resume"))
    menu.show_history.connect(lambda: heard.append("history"))
    menu.show_settings.connect(lambda: heard.append("settings"))
    menu.open_status_page.connect(lambda: heard.append("status_page"))
    menu.quit_requested.connect(lambda: heard.append("quit"))
    menu.pause.connect(heard.append)
    actions = {a.objectName(): a for a in menu.actions()}
    names = ["check_now", "resume", "history", "settings", "status_page", "quit"]
    for name in names:
        actions[name].setEnabled(True)  # resume is greyed out while not paused
        actions[name].trigger()
    pause_menu = next(a.menu() for a in menu.actions() if isinstance(a.menu(), QMenu))
    assert isinstance(pause_menu, QMenu)
    for act in pause_menu.actions():
        act.trigger()
    assert heard == [*names, *PauseChoice]
