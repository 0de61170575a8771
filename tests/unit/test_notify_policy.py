"""The owner's notification choices on the real monitor's alerts, with a fake clock: kinds,
recoveries, and quiet hours (held; one summary of what is still wrong afterwards, never a burst).
The core's policy alone: no Qt."""

from __future__ import annotations

from datetime import datetime

from tests.ui.helpers.rounds import Feed
from traywatch.core.models import ServiceState, Verdict
from traywatch.core.notify.pause import PauseChoice, PauseState
from traywatch.core.notify.policy import Notice, NoticeIcon, NotificationPolicy
from traywatch.core.notify.settings import NotificationSettings
from traywatch.core.settings.config import parse_config
from traywatch.core.watch.monitor import MonitorUpdate

DOWN = ServiceState.DOWN


class Clock:
    def __init__(self, hour: int, minute: int = 0) -> None:
        self.now = datetime(2026, 3, 5, hour, minute).astimezone()

    def __call__(self) -> datetime:
        return self.now

    def set(self, hour: int, minute: int = 0, day: int = 5) -> None:
        self.now = datetime(2026, 3, day, hour, minute).astimezone()


class Shown(NotificationPolicy):
    def __init__(self, settings: NotificationSettings, clock: Clock) -> None:
        super().__init__(settings, now=clock)
        self.shown: list[Notice] = []

    def deliver(self, notice: Notice) -> None:
        self.shown.append(notice)


def settings(**section: object) -> NotificationSettings:
    return parse_config({"notifications": section}, "test").notifications


def run(n: NotificationPolicy, updates: list[MonitorUpdate], paused: bool = False) -> list[Notice]:
    return [x for u in updates if (x := n.handle(u, paused)) is not None]


def test_only_the_chosen_kinds_notify_and_their_recoveries_follow_them() -> None:
    feed, n = Feed(), Shown(settings(kinds=["internet_down", "meta_down"]), Clock(12))
    run(n, feed.confirm(Verdict.OK))
    assert run(n, feed.confirm(Verdict.META_PARTIAL, states={"facebook": DOWN})) == []
    assert run(n, feed.confirm(Verdict.OK)) == []  # the recovery of an unwanted kind: silent too
    assert [x.title for x in run(n, feed.confirm(Verdict.INTERNET_DOWN))] == ["Your internet is down"]
    assert [x.title for x in run(n, feed.confirm(Verdict.OK))] == ["Your internet is back"]


def test_quiet_hours_hold_everything_then_one_summary_of_what_is_still_wrong() -> None:
    clock = Clock(21, 50)
    feed, n = Feed(), Shown(settings(quiet_hours="22:00-07:00"), clock)
    run(n, feed.confirm(Verdict.OK))
    clock.set(23, 10)
    assert run(n, feed.confirm(Verdict.INTERNET_DOWN)) == []
    assert run(n, feed.confirm(Verdict.OK)) == []
    assert run(n, feed.confirm(Verdict.META_DOWN)) == []
    assert len(n.quiet_held) == 3 and n.shown == []
    clock.set(7, 0, day=6)
    sent = run(n, [feed.round(Verdict.META_DOWN), feed.round(Verdict.META_DOWN)])
    assert len(sent) == 1 and n.shown == sent
    assert sent[0].title == "After quiet hours: Meta is down"
    assert "3 notifications held during quiet hours" in sent[0].message
    assert sent[0].icon is NoticeIcon.META_DOWN
    assert n.quiet_held == []


def test_nothing_is_said_after_quiet_hours_when_all_is_well_again() -> None:
    clock = Clock(2)
    feed, n = Feed(), Shown(settings(quiet_hours="22:00-07:00"), clock)
    run(n, feed.confirm(Verdict.OK))
    run(n, feed.confirm(Verdict.META_DOWN))
    run(n, feed.confirm(Verdict.OK))
    clock.set(8)
    assert run(n, feed.confirm(Verdict.OK)) == []
    assert n.quiet_held == []


def test_the_timer_at_the_end_of_quiet_hours_delivers_the_summary_without_a_round() -> None:
    clock = Clock(21)
    feed, n = Feed(), Shown(settings(quiet_hours="22:00-07:00"), clock)
    run(n, feed.confirm(Verdict.OK))
    clock.set(22, 30)
    updates = feed.confirm(Verdict.INTERNET_DOWN)
    run(n, updates)
    assert n.end_of_quiet(updates[-1].snapshot) is None  # still quiet
    clock.set(7, 1, day=6)
    notice = n.end_of_quiet(updates[-1].snapshot)
    assert notice is not None and notice.title == "After quiet hours: Your internet is down"
    assert n.end_of_quiet(updates[-1].snapshot) is None  # once


def test_a_change_seen_as_quiet_hours_end_is_told_instead_of_the_summary() -> None:
    clock = Clock(23)
    feed, n = Feed(), Shown(settings(quiet_hours="22:00-07:00"), clock)
    run(n, feed.confirm(Verdict.OK))
    run(n, feed.confirm(Verdict.INTERNET_DOWN))
    clock.set(7, 0, day=6)
    sent = run(n, feed.confirm(Verdict.META_DOWN))
    assert [x.title.split(":")[0] for x in sent] == ["Meta is down"]


def test_pause_at_the_end_of_quiet_hours_drops_the_summary() -> None:
    clock = Clock(23)
    feed, n = Feed(), Shown(settings(quiet_hours="22:00-07:00"), clock)
    run(n, feed.confirm(Verdict.OK))
    run(n, feed.confirm(Verdict.META_DOWN))
    clock.set(9)
    assert run(n, [feed.round(Verdict.META_DOWN)], paused=True) == []
    assert n.quiet_held == []


def test_settings_change_live() -> None:
    clock = Clock(23)
    feed, n = Feed(), Shown(settings(quiet_hours="22:00-07:00"), clock)
    run(n, feed.confirm(Verdict.OK))
    run(n, feed.confirm(Verdict.INTERNET_DOWN))
    n.configure(settings())  # quiet hours switched off in the dialog
    assert n.quiet_held == []
    assert [x.title for x in run(n, feed.confirm(Verdict.OK))] == ["Your internet is back"]
    n.configure(settings(enabled=False))
    assert run(n, feed.confirm(Verdict.META_DOWN)) == []


def test_the_policy_keeps_its_own_pause_and_tells_again_when_it_ends() -> None:
    clock = Clock(12)
    pause = PauseState(clock=clock)
    feed, n = Feed(), Shown(settings(), clock)
    n.pause = pause
    run(n, feed.confirm(Verdict.OK))
    pause.pause(PauseChoice.ONE_HOUR)
    assert [x for u in feed.confirm(Verdict.META_DOWN) if (x := n.handle(u))] == []
    clock.set(13, 1)  # the hour is over
    assert not pause.active
    back = [x.title for u in feed.confirm(Verdict.OK) if (x := n.handle(u))]
    assert back == ["Facebook, Instagram, WhatsApp and Messenger are back"]
