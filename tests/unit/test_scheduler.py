"""The pure scheduler: pace, canaries for services backing off, sleep/resume grace, "check now",
new settings and stop, decided from clock readings alone (no threads, no Qt, no sleeping)."""

from __future__ import annotations

import random

from tests.unit.factories import (
    FakeClock,
    Maker,
    dns_servfail,
    ok,
    rate_limited,
    references,
    round_from,
    server_error,
    services,
    tcp_timeout,
    tls_timeout,
)
from traywatch.core.models import ServiceState
from traywatch.core.settings.config import CheckSettings
from traywatch.core.verdict.diagnosis import diagnose
from traywatch.core.watch.monitor import Monitor, MonitorUpdate
from traywatch.core.watch.scheduler import IGNORE, RUN, STOP, Action, Now, Scheduler

SETTINGS = CheckSettings(interval_s=60, confirm_delay_s=15, backoff_cap_s=180, jitter=0.1)
WALL0 = 1_700_000_000.0


class Loop:
    """A monitor and its scheduler driven as the watcher drives them, on fake clocks."""

    def __init__(self, settings: CheckSettings = SETTINGS, grace_s: float = 10.0) -> None:
        self.clock = FakeClock()
        self.asleep_s = 0.0  # wall-clock time the machine spent suspended
        self.monitor = Monitor(settings, rng=random.Random(3), clock=self.clock)
        self.scheduler = Scheduler(self.monitor, grace_s, now=self.now())

    def now(self) -> Now:
        return Now(WALL0 + self.clock.mono + self.asleep_s, self.clock.mono)

    def round(self, default: Maker = ok, **by_id: Maker) -> MonitorUpdate:
        """A round as the engine runs it: the plan's carried services stay carried."""
        self.scheduler.round_starting(self.now())
        plan = self.scheduler.plan()
        probes = services(default, **{**by_id, **plan.skip})
        rnd = round_from(diagnose(references(), probes, 3000.0), self.clock.wall)
        return self.monitor.observe(rnd)

    def backed_off(self, failing: Maker, sid: str = "facebook") -> None:
        """Rounds (each after the scheduler's wait) until `sid` is confirmed down and carried."""
        for _ in range(6):
            self.round(**{sid: failing})
            self.clock.advance(self.scheduler.round_finished(self.now()).delay_s)
            if sid in self.scheduler.plan().skip:
                return
        raise AssertionError(f"{sid} never backs off")


def test_after_a_round_it_waits_the_interval_or_the_quick_re_check_while_a_change_is_pending() -> None:
    loop = Loop()
    loop.round()
    first = loop.scheduler.round_finished(loop.now())
    assert first.action is Action.WAIT and first.delay_s == 15  # the first verdict awaits confirmation
    loop.round()
    steady = loop.scheduler.round_finished(loop.now())
    assert steady.action is Action.WAIT and 54 <= steady.delay_s <= 66
    assert abs(loop.scheduler.remaining_s(loop.now()) - steady.delay_s) < 1e-6
    loop.clock.advance(steady.delay_s)
    assert loop.scheduler.timer_fired(loop.now()) == RUN


def test_services_down_at_dns_tcp_or_tls_get_a_canary_while_they_back_off() -> None:
    for failing in (dns_servfail, tcp_timeout, tls_timeout):
        loop = Loop()
        loop.round()
        loop.backed_off(failing)
        plan = loop.scheduler.plan()
        assert set(plan.skip) == {"facebook"}
        assert plan.canaries == {"facebook"}, failing.__name__


def test_no_canary_where_a_connection_proves_nothing_or_meta_asked_us_to_wait() -> None:
    loop = Loop()
    loop.round()
    loop.backed_off(server_error)  # 5xx: the connection works while the service is down
    assert "facebook" in loop.scheduler.plan().skip
    assert loop.scheduler.plan().canaries == frozenset()
    limited = Loop()
    limited.round()
    limited.round(facebook=rate_limited(600))
    limited.clock.advance(1)
    assert "facebook" in limited.scheduler.plan().skip  # Retry-After: carried...
    assert limited.scheduler.plan().canaries == frozenset()  # ...and left alone entirely


def test_a_healthy_round_plans_no_skips_and_no_canaries() -> None:
    loop = Loop()
    loop.round()
    loop.round()
    plan = loop.scheduler.plan()
    assert plan.skip == {} and plan.canaries == frozenset()


def test_after_sleep_half_seen_changes_are_forgotten_and_a_grace_period_ignores_check_requests() -> None:
    loop = Loop(grace_s=10)
    loop.round()
    loop.round()
    loop.round(facebook=dns_servfail)  # seen once: pending
    assert loop.monitor.next_delay() == 15
    loop.scheduler.round_finished(loop.now())
    loop.clock.advance(5)
    loop.asleep_s += 3600  # suspended for an hour: the wall clock jumped, the monotonic one did not
    decision = loop.scheduler.timer_fired(loop.now())
    assert decision.action is Action.WAIT and decision.delay_s == 10
    assert decision.slept_s is not None and decision.slept_s > 3000
    assert 54 <= loop.monitor.next_delay() <= 66  # the half-seen change is forgotten
    loop.clock.advance(3)
    assert loop.scheduler.check_requested(loop.clock.mono, loop.now()) == IGNORE
    loop.clock.advance(8)
    assert loop.scheduler.timer_fired(loop.now()) == RUN


def test_a_short_clock_correction_is_not_sleep() -> None:
    loop = Loop()
    loop.round()
    loop.scheduler.round_finished(loop.now())
    loop.asleep_s += 20  # NTP stepped the clock
    assert loop.scheduler.timer_fired(loop.now()) == RUN


def test_check_now_runs_a_round_unless_one_started_after_the_request() -> None:
    loop = Loop()
    asked = loop.clock.mono
    loop.clock.advance(1)
    loop.round()
    loop.scheduler.round_finished(loop.now())
    assert loop.scheduler.check_requested(asked, loop.now()) == IGNORE  # served by that round
    loop.clock.advance(2)
    assert loop.scheduler.check_requested(loop.clock.mono, loop.now()) == RUN


def test_new_settings_shorten_a_long_wait_but_never_lengthen_a_short_one() -> None:
    loop = Loop(CheckSettings(interval_s=3600, confirm_delay_s=0, jitter=0))
    loop.round()
    loop.round()
    assert loop.scheduler.round_finished(loop.now()).delay_s == 3600
    loop.monitor.settings = CheckSettings(interval_s=10, jitter=0)
    shorter = loop.scheduler.settings_changed(loop.now(), engine_rebuilt=False)
    assert shorter.action is Action.WAIT and shorter.delay_s == 10
    loop.monitor.settings = CheckSettings(interval_s=600, jitter=0)
    assert loop.scheduler.settings_changed(loop.now(), engine_rebuilt=False) == IGNORE
    rebuilt = loop.scheduler.settings_changed(loop.now(), engine_rebuilt=True)
    assert rebuilt.action is Action.WAIT and rebuilt.delay_s == 600


def test_new_settings_during_a_round_wait_for_its_end() -> None:
    loop = Loop()
    loop.scheduler.round_starting(loop.now())
    assert loop.scheduler.settings_changed(loop.now(), engine_rebuilt=True) == IGNORE


def test_once_stopped_every_answer_is_stop() -> None:
    loop = Loop()
    loop.round()
    loop.scheduler.stop()
    assert loop.scheduler.stopped
    assert loop.scheduler.round_finished(loop.now()) == STOP
    assert loop.scheduler.timer_fired(loop.now()) == STOP
    assert loop.scheduler.check_requested(loop.clock.mono, loop.now()) == STOP
    assert loop.scheduler.settings_changed(loop.now(), engine_rebuilt=True) == STOP


def test_a_recovered_service_leaves_the_plan() -> None:
    loop = Loop()
    loop.round()
    loop.backed_off(dns_servfail)
    assert loop.monitor.confirmed_states()["facebook"] is ServiceState.DOWN
    loop.clock.advance(1000)  # past its back-off: fully checked again, and up
    loop.round()
    loop.round()
    assert loop.scheduler.plan().skip == {}
