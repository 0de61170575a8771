"""The tray per verdict: which icon, what the tooltip says, what the menu offers (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from pytestqt.qtbot import QtBot

from tests.ui.helpers.rounds import SUMMARIES, snapshot
from traywatch.core.models import ServiceState, Verdict
from traywatch.core.notify.pause import PauseChoice, PauseState
from traywatch.i18n import formats
from traywatch.ui.icons import IconKind, PanelTheme
from traywatch.ui.tray import TrayIcon

FIXED_NOW = datetime(2026, 3, 5, 10, 0).astimezone()


@pytest.fixture
def tray(qapp: object) -> Iterator[TrayIcon]:
    t = TrayIcon(PauseState(clock=lambda: FIXED_NOW))
    yield t
    t.close()


def opened(tray: TrayIcon) -> list[str]:
    """The menu's texts as the owner sees them when opening it (it is rebuilt on aboutToShow)."""
    tray.menu.aboutToShow.emit()
    return tray.menu.texts()


EXPECTED = {
    Verdict.OK: (IconKind.OK, "Everything works"),
    Verdict.META_PARTIAL: (IconKind.META_PARTIAL, "Some Meta services are down"),
    Verdict.META_DOWN: (IconKind.META_DOWN, "Meta is down"),
    Verdict.INTERNET_DOWN: (IconKind.INTERNET_DOWN, "Your internet is down"),
    Verdict.NETWORK_LIMITED: (IconKind.NETWORK_LIMITED, "Your network is limiting the internet"),
}


def test_before_any_confirmed_verdict_the_tray_says_checking(tray: TrayIcon) -> None:
    assert tray.current_kind() is IconKind.CHECKING
    assert "Checking" in tray.icon.toolTip()
    assert opened(tray)[0].startswith("Checking")


@pytest.mark.parametrize("verdict", list(Verdict))
def test_icon_tooltip_and_menu_follow_the_verdict(tray: TrayIcon, verdict: Verdict) -> None:
    tray.show_snapshot(snapshot(verdict))
    kind, title = EXPECTED[verdict]
    assert tray.current_kind() is kind
    tip = tray.icon.toolTip().splitlines()
    assert tip[1] == SUMMARIES[verdict]
    assert [line.split(" — ")[0] for line in tip if " — " in line] == [
        "Facebook",
        "Instagram",
        "WhatsApp",
        "Messenger",
    ]
    assert tip[-1].startswith("Last check: ")
    texts = opened(tray)
    assert texts[0] == title
    for needed in ("Check now", "Pause notifications", "Resume notifications", "History…", "Settings…"):
        assert needed in texts
    assert "Open Meta's status page" in texts and texts[-1] == "Quit traywatch"
    assert [t for t in texts if t.startswith("  ")] == [
        "  For 1 hour",
        "  For 4 hours",
        "  Until tomorrow (07:00)",
    ]


def test_service_rows_carry_state_and_short_cause(tray: TrayIcon) -> None:
    tray.show_snapshot(snapshot(Verdict.META_PARTIAL, instagram=ServiceState.DEGRADED))
    texts = opened(tray)
    assert "Facebook — down (name lookup failed)" in texts
    assert "Instagram — having trouble (slow, 4.2 s)" in texts
    assert "WhatsApp — working (120 ms)" in texts


def test_while_our_internet_is_down_services_are_not_blamed(tray: TrayIcon) -> None:
    tray.show_snapshot(snapshot(Verdict.INTERNET_DOWN))
    rows = [t for t in opened(tray) if t.startswith("Facebook")]
    assert rows == ["Facebook — unknown (your own connection is at fault)"]


def test_pending_change_is_shown_as_rechecking(tray: TrayIcon) -> None:
    tray.show_snapshot(snapshot(Verdict.OK, pending=True))
    assert opened(tray)[0] == "Everything works (re-checking…)"


def test_pause_shows_the_paused_icon_and_enables_resume(tray: TrayIcon) -> None:
    tray.show_snapshot(snapshot(Verdict.META_DOWN))
    tray.pause.pause(PauseChoice.ONE_HOUR)
    tray.refresh()
    assert tray.current_kind() is IconKind.PAUSED
    assert tray.pause.until is not None
    until = formats.clock(tray.pause.until, "en")  # the fixed clock is not today: with its date
    assert until != tray.pause.until.astimezone().strftime("%H:%M")
    assert f"Paused until {until}: no notifications" in tray.icon.toolTip()
    opened(tray)
    resume = next(a for a in tray.menu.actions() if a.objectName() == "resume")
    assert resume.isEnabled()
    tray.pause.resume()
    tray.refresh()
    assert tray.current_kind() is IconKind.META_DOWN


def test_pause_ends_by_itself(qapp: object) -> None:
    now = [FIXED_NOW]
    pause = PauseState(clock=lambda: now[0])
    pause.pause(PauseChoice.FOUR_HOURS)
    assert pause.active and pause.remaining_s() == 4 * 3600
    now[0] += timedelta(hours=4)
    assert not pause.active


def test_until_tomorrow_means_tomorrow_morning() -> None:
    pause = PauseState(clock=lambda: FIXED_NOW.replace(hour=23, minute=30))
    until = pause.pause(PauseChoice.TOMORROW)
    assert (until.date() - FIXED_NOW.date()).days == 1 and (until.hour, until.minute) == (7, 0)


def test_icon_variant_is_reapplied_when_the_palette_changes(tray: TrayIcon, qtbot: QtBot) -> None:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    original = app.palette()
    try:
        dark = QPalette(original)
        dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
        app.setPalette(dark)
        qtbot.waitUntil(lambda: tray._shown_icon is not None and tray._shown_icon[1] is PanelTheme.DARK)
        app.setPalette(original)
        qtbot.waitUntil(lambda: tray._shown_icon is not None and tray._shown_icon[1] is PanelTheme.LIGHT)
    finally:
        app.setPalette(original)


def test_menu_actions_emit_their_requests(tray: TrayIcon, qtbot: QtBot) -> None:
    actions = {a.objectName(): a for a in tray.menu.actions()}
    with qtbot.waitSignal(tray.menu.check_now):
        actions["check_now"].trigger()
    with qtbot.waitSignal(tray.menu.show_history):
        actions["history"].trigger()
    with qtbot.waitSignal(tray.menu.show_settings):
        actions["settings"].trigger()
    with qtbot.waitSignal(tray.menu.quit_requested):
        actions["quit"].trigger()
    pause_menu = next(a.menu() for a in tray.menu.actions() if a.menu() is not None)
    with qtbot.waitSignal(tray.menu.pause) as blocker:
        next(a for a in pause_menu.actions() if a.objectName() == "pause:4h").trigger()
    assert blocker.args == [PauseChoice.FOUR_HOURS]


def test_a_service_the_network_blocks_says_so_in_the_menu() -> None:
    import dataclasses

    from traywatch.core.models import ServiceResult
    from traywatch.core.verdict.diagnosis import BLOCKED
    from traywatch.ui.status_text import short_cause

    blocked = ServiceResult(
        "instagram",
        "Instagram",
        ServiceState.UNKNOWN,
        None,
        None,
        BLOCKED(detail="www.instagram.com resolves to 0.0.0.0"),
    )
    for verdict in (Verdict.META_PARTIAL, Verdict.NETWORK_LIMITED):
        assert short_cause(blocked, verdict) == "blocked by your network"
    unknown = ServiceResult("threads", "Threads", ServiceState.UNKNOWN, None, None, "not checked")
    assert short_cause(unknown, Verdict.META_PARTIAL) == "not checked yet"
    # the detail's words alone do not make a service blocked: its code does
    worded = dataclasses.replace(blocked, detail=str(blocked.detail))
    assert short_cause(worded, Verdict.META_PARTIAL) == "not checked yet"


def test_a_working_service_with_a_note_about_this_address_says_it_in_the_menu() -> None:
    import dataclasses

    from tests.unit.factories import ok, rate_limited, references, services, tcp_timeout
    from traywatch.core.verdict.diagnosis import diagnose
    from traywatch.ui.status_text import ServiceRow, short_cause

    d = diagnose(references(), services(instagram=rate_limited(60), whatsapp=[ok, tcp_timeout]), 3000.0)
    assert d.verdict is Verdict.OK
    rows = {s.id: ServiceRow(s.id, s.name, s.state, short_cause(s, d.verdict)).text for s in d.services}
    assert rows["instagram"] == "Instagram — working (limiting requests from your address)"
    assert rows["whatsapp"] == "WhatsApp — working (port 5222 blocked by your network)"
    carried = dataclasses.replace(d.services[1], checked=False)
    assert short_cause(carried, d.verdict) == "limiting requests from your address"  # while backing off


def test_start_up_problems_lead_the_menu_and_the_tooltip(tray: TrayIcon) -> None:
    problem = "config.toml [check.interval]: must be a number, not 'soon'. traywatch runs with its defaults."
    tray.show_snapshot(snapshot(Verdict.OK))
    tray.set_problems((problem,))
    texts = opened(tray)
    assert texts[1].startswith("\u26a0 config.toml [check.interval]: must be a number")
    assert tray.icon.toolTip().splitlines()[1] == texts[1]
    tray.set_problems(("x" * 300,))
    assert len(opened(tray)[1]) <= 112 and opened(tray)[1].endswith("\u2026")  # one readable line
