"""TrayHostWatch's check that a D-Bus panel lists our icon: re-register while it is missing, a
bounded number of times, and stop at once when the list is there or cannot be read."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from traywatch.ui import tray_host
from traywatch.ui.tray_host import VERIFY_TRIES, TrayHostWatch


@pytest.fixture
def watch(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> TrayHostWatch:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(tray_host, "sni_watcher_owner", lambda: ":1.0")
    return TrayHostWatch(wait_s=1.0)


def appearances(watch: TrayHostWatch, polls: int) -> int:
    seen: list[None] = []
    watch.appeared.connect(lambda: seen.append(None))
    for _ in range(polls):
        watch.poll()
    return len(seen)


def test_a_panel_that_never_lists_the_icon_gets_three_more_registrations_then_a_warning(
    watch: TrayHostWatch, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(tray_host, "sni_item_listed", lambda: False)
    with caplog.at_level(logging.INFO, logger=tray_host.__name__):
        assert appearances(watch, 20) == 1 + (VERIFY_TRIES - 1)
    assert caplog.text.count("does not list the tray icon; registering it again") == VERIFY_TRIES - 1
    assert caplog.text.count("still does not list the tray icon after 3 tries") == 1


@pytest.mark.parametrize("listed", [True, None], ids=["listed", "list-unreadable"])
def test_a_listed_icon_or_an_unreadable_list_ends_the_checks(
    watch: TrayHostWatch, monkeypatch: pytest.MonkeyPatch, listed: bool | None
) -> None:
    asked: list[None] = []

    def answer() -> bool | None:
        asked.append(None)
        return listed

    monkeypatch.setattr(tray_host, "sni_item_listed", answer)
    assert appearances(watch, 10) == 1
    assert len(asked) == 1


def test_a_missing_icon_found_on_the_second_check_stops_the_retries(
    watch: TrayHostWatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([False, True])
    monkeypatch.setattr(tray_host, "sni_item_listed", lambda: next(answers))
    assert appearances(watch, 10) == 2  # the first appearance, one registration again


def test_a_restarted_watcher_starts_the_checks_again(
    watch: TrayHostWatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tray_host, "sni_item_listed", lambda: True)
    assert appearances(watch, 3) == 1
    monkeypatch.setattr(tray_host, "sni_watcher_owner", lambda: ":1.7")
    monkeypatch.setattr(tray_host, "sni_item_listed", lambda: False)
    assert appearances(watch, 20) == 1 + (VERIFY_TRIES - 1)
