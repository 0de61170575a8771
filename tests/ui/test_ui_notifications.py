"""Notification policy on the real monitor's alerts: grouped, calm, silent while paused."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QSystemTrayIcon

from tests.ui.helpers.rounds import Feed
from traywatch.core.models import ServiceState, Verdict
from traywatch.core.notify.settings import parse_notifications
from traywatch.core.watch.monitor import MonitorUpdate
from traywatch.ui.notifications import Notice, Notifier, NullNotifier, TrayNotifier, pick

DOWN = ServiceState.DOWN


class Recorder(Notifier):
    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.delivered: list[Notice] = []

    def deliver(self, notice: Notice) -> None:
        self.delivered.append(notice)


def run(notifier: Notifier, updates: list[MonitorUpdate], paused: bool = False) -> list[Notice]:
    return [n for u in updates if (n := notifier.handle(u, paused)) is not None]


def test_a_good_start_says_nothing() -> None:
    feed, n = Feed(), Recorder()
    assert run(n, feed.confirm(Verdict.OK)) == []


def test_already_bad_at_start_gives_one_summary_not_a_burst() -> None:
    feed, n = Feed(), Recorder()
    sent = run(n, feed.confirm(Verdict.META_DOWN))
    assert len(sent) == 1
    assert sent[0].title == "traywatch started: Meta is down"
    assert "Meta is down" in sent[0].message


def test_meta_going_down_is_one_grouped_notification_then_recovery_with_duration() -> None:
    feed, n = Feed(), Recorder()
    run(n, feed.confirm(Verdict.OK))
    down = run(n, feed.confirm(Verdict.META_DOWN))
    assert [x.title for x in down] == ["Meta is down: Facebook, Instagram, WhatsApp and Messenger"]
    run(n, [feed.round(Verdict.META_DOWN)] * 1)
    back = run(n, feed.confirm(Verdict.OK))
    assert len(back) == 1
    assert back[0].title == "Facebook, Instagram, WhatsApp and Messenger are back"
    assert back[0].message == "Working again after 3 min down."


def test_never_a_word_about_meta_while_our_internet_is_down() -> None:
    feed, n = Feed(), Recorder()
    run(n, feed.confirm(Verdict.OK))
    sent = run(n, feed.confirm(Verdict.INTERNET_DOWN))
    sent += run(n, feed.confirm(Verdict.INTERNET_DOWN))
    assert [x.title for x in sent] == ["Your internet is down"]
    assert all("Meta is down" not in x.title for x in sent)
    back = run(n, feed.confirm(Verdict.OK))
    assert [x.title for x in back] == ["Your internet is back"]


def test_recoveries_wait_for_services_still_backing_off_then_come_as_one() -> None:
    feed, n = Feed(), Recorder()
    run(n, feed.confirm(Verdict.OK))
    run(n, feed.confirm(Verdict.META_DOWN))
    # Facebook and Instagram are re-probed first; WhatsApp and Messenger are still backing off.
    early = {"whatsapp": DOWN, "messenger": DOWN}
    later = ["whatsapp", "messenger"]
    held = run(n, feed.confirm(Verdict.META_PARTIAL, states=early, unchecked=later))
    assert held == []
    sent = run(n, feed.confirm(Verdict.OK))
    assert [x.title for x in sent] == ["Facebook, Instagram, WhatsApp and Messenger are back"]


def test_pause_silences_alerts() -> None:
    feed, n = Feed(), Recorder()
    run(n, feed.confirm(Verdict.OK))
    assert run(n, feed.confirm(Verdict.META_DOWN), paused=True) == []
    assert n.delivered == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [({"notifications": {"enabled": False}}, []), ({"notifications": {"recovery": False}}, ["Meta is down"])],
)
def test_config_switches(raw: dict[str, dict[str, bool]], expected: list[str]) -> None:
    feed = Feed()
    n = Recorder(settings=parse_notifications(raw["notifications"], "test"))
    run(n, feed.confirm(Verdict.OK))
    sent = run(n, feed.confirm(Verdict.META_DOWN)) + run(n, feed.confirm(Verdict.OK))
    assert [x.title.split(":")[0] for x in sent] == expected


def test_pick_delivers_through_the_tray_icon_or_logs(qapp: object) -> None:
    assert isinstance(pick(None), NullNotifier)
    tray = QSystemTrayIcon()
    notifier = pick(tray)
    assert isinstance(notifier, TrayNotifier)
    feed = Feed()
    notice = run(notifier, feed.confirm(Verdict.INTERNET_DOWN))  # offscreen: no tray, logged only
    assert len(notice) == 1 and notifier.sent == notice
