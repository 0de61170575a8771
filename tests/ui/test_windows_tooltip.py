"""Windows cuts tray tooltips at 127 characters: the tray gives it a short form that fits, whole lines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from tests.ui.helpers.rounds import snapshot
from traywatch.core.models import Verdict
from traywatch.core.notify.pause import PauseState
from traywatch.ui import tray as tray_module
from traywatch.ui.status_text import VERDICT_TITLES, WINDOWS_TOOLTIP_MAX, tooltip
from traywatch.ui.tray import TrayIcon

LONG_PROBLEM = "config.toml [check.interval]: must be a number, not 'soon'. traywatch runs with its defaults."
PAUSED_UNTIL = datetime.now().astimezone() + timedelta(hours=1)


@pytest.mark.parametrize("verdict", list(Verdict))
def test_the_full_tooltip_is_too_long_for_windows_but_the_short_one_fits(verdict: Verdict) -> None:
    snap = snapshot(verdict)
    assert len(tooltip(snap)) > WINDOWS_TOOLTIP_MAX  # what Windows would cut mid-sentence
    short = tooltip(snap, limit=WINDOWS_TOOLTIP_MAX)
    assert len(short) <= WINDOWS_TOOLTIP_MAX
    lines = short.splitlines()
    assert lines[0] == f"traywatch: {VERDICT_TITLES[verdict]}"
    assert lines[-1].startswith("Last check: ")
    full = tooltip(snap).splitlines()
    assert all(line in full for line in lines[1:])  # whole lines only, never a cut sentence


@pytest.mark.parametrize("verdict", [Verdict.OK, Verdict.META_DOWN, Verdict.INTERNET_DOWN])
def test_problems_and_the_pause_come_before_the_summary(verdict: Verdict) -> None:
    short = tooltip(snapshot(verdict), PAUSED_UNTIL, (LONG_PROBLEM, "x" * 300), limit=WINDOWS_TOOLTIP_MAX)
    assert len(short) <= WINDOWS_TOOLTIP_MAX
    lines = short.splitlines()
    assert lines[0].startswith("traywatch: ")
    assert lines[1].startswith("\u26a0 config.toml") and lines[1].endswith("\u2026")
    assert lines[2].startswith("Paused until")


def test_before_the_first_check_the_short_tooltip_says_checking() -> None:
    assert tooltip(None, limit=WINDOWS_TOOLTIP_MAX) == "traywatch: Checking your internet and Meta…"


@pytest.fixture
def windows_tray(qapp: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[TrayIcon]:
    monkeypatch.setattr(tray_module, "TOOLTIP_LIMIT", WINDOWS_TOOLTIP_MAX)
    icon = TrayIcon(PauseState())
    yield icon
    icon.close()


def test_the_tray_on_windows_sets_the_short_tooltip(windows_tray: TrayIcon) -> None:
    windows_tray.show_snapshot(snapshot(Verdict.META_DOWN))
    tip = windows_tray.icon.toolTip()
    assert len(tip) <= WINDOWS_TOOLTIP_MAX
    assert tip.startswith("traywatch: Meta is down")
