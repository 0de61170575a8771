"""The monitor confirms changes, groups alerts, stays quiet about Meta while our internet is down,
and backs off from services that are down (with jitter, capped, honouring Retry-After)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from datetime import timedelta

import pytest

from tests.unit.factories import (
    FakeClock,
    Maker,
    ServiceSpecArg,
    blocked,
    make_round,
    ok,
    rate_limited,
    references,
    round_from,
    server_error,
    service_ids,
    services,
)
from traywatch.core.models import Alert, AlertKind, InternetState, ServiceState, Verdict
from traywatch.core.settings.config import CheckSettings
from traywatch.core.verdict.diagnosis import diagnose
from traywatch.core.watch.monitor import Monitor, MonitorUpdate

UP, DEGRADED, DOWN = ServiceState.UP, ServiceState.DEGRADED, ServiceState.DOWN
ALL_DOWN = {sid: DOWN for sid in service_ids()}
SETTINGS = CheckSettings(interval_s=60, confirm_delay_s=15, backoff_cap_s=180, jitter=0.1)


class Harness:
    """Drives a Monitor the way the watcher does: skip map -> round -> observe -> wait next_delay."""

    def __init__(self, settings: CheckSettings = SETTINGS, seed: int = 1) -> None:
        self.clock = FakeClock()
        self.monitor = Monitor(settings, rng=random.Random(seed), clock=self.clock)
        self.alerts: list[Alert] = []
        self.checked: dict[str, list[float]] = {sid: [] for sid in service_ids()}

    def round(
        self,
        states: Mapping[str, ServiceState] | None = None,
        *,
        internet: InternetState = InternetState.UP,
        retry_after: Mapping[str, float] | None = None,
        wait: float | None = None,
    ) -> MonitorUpdate:
        skip = self.monitor.skip_map()
        rnd = make_round(self.clock.wall, states, internet=internet, retry_after=retry_after, carried=skip)
        for s in rnd.services:
            if s.checked:
                self.checked[s.id].append(self.clock.mono)
        update = self.monitor.observe(rnd)
        self.alerts.extend(update.alerts)
        self.clock.advance(self.monitor.next_delay() if wait is None else wait)
        return update

    def diagnosed(self, default: Maker = ok, **by_id: ServiceSpecArg) -> MonitorUpdate:
        """A round as the engine makes it: these probes (services backing off carried over),
        diagnosed, then observed."""
        svcs = services(default, **{**by_id, **self.monitor.skip_map()})
        update = self.monitor.observe(round_from(diagnose(references(), svcs, 3000.0), self.clock.wall))
        self.alerts.extend(update.alerts)
        self.clock.advance(self.monitor.next_delay())
        return update

    def rounds(self, n: int, states: Mapping[str, ServiceState] | None = None, **kw: object) -> None:
        for _ in range(n):
            self.round(states, **kw)  # type: ignore[arg-type]

    def started(self) -> Harness:
        """Two healthy rounds: the state 'all fine' is confirmed, no alert."""
        self.rounds(2)
        assert self.alerts == []
        return self

    def until_alert(self, kind: AlertKind, states: Mapping[str, ServiceState] | None = None) -> Alert:
        """Healthy (or given) rounds until an alert of `kind` comes; services backing off may
        need several rounds before they are re-checked."""
        for _ in range(30):
            update = self.round(states)
            found = [a for a in update.alerts if a.kind is kind]
            if found:
                return found[0]
        raise AssertionError(f"no {kind} alert; got {self.kinds()}")

    def kinds(self) -> list[AlertKind]:
        return [a.kind for a in self.alerts]

    def recheck_wait(self, sid: str) -> float:
        """Seconds from now until `sid` leaves the skip map (1 s resolution; clock restored)."""
        start = self.clock.mono
        try:
            for t in range(0, 10_000):
                self.clock.mono = start + t
                if sid not in self.monitor.skip_map():
                    return float(t)
            raise AssertionError(f"{sid} is never re-checked")
        finally:
            self.clock.mono = start


# -- confirmation -----------------------------------------------------------------------------------
def test_first_round_is_pending_and_says_checking() -> None:
    h = Harness()
    update = h.round()
    assert update.snapshot.pending
    assert update.snapshot.summary == "Checking…"
    assert update.alerts == ()


def test_one_round_blip_raises_no_alert() -> None:
    h = Harness().started()
    h.round({"facebook": DOWN})
    h.rounds(3)
    assert h.alerts == []
    assert h.monitor.confirmed_states()["facebook"] is UP


def test_one_round_internet_blip_raises_no_alert() -> None:
    h = Harness().started()
    h.round(internet=InternetState.DOWN)
    h.rounds(3)
    assert h.alerts == []


def test_sustained_meta_outage_raises_one_grouped_alert_then_one_recovery_with_duration() -> None:
    h = Harness().started()
    h.rounds(10, ALL_DOWN)

    assert h.kinds() == [AlertKind.META_DOWN]
    down = h.alerts[0]
    assert set(down.services) == set(service_ids())
    assert down.title == "Meta is down: Facebook, Instagram, WhatsApp and 4 more"
    assert down.startup is False

    h.rounds(8)
    assert h.kinds() == [AlertKind.META_DOWN, AlertKind.META_RECOVERED]
    back = h.alerts[1]
    assert set(back.services) == set(service_ids())
    assert back.duration_s is not None and back.duration_s > 5 * 60
    assert back.message.startswith("Working again after ") and "min" in back.message
    assert h.monitor.confirmed_verdict() is Verdict.OK


@pytest.mark.parametrize("seed", range(1, 9))
def test_recovery_stays_one_alert_whatever_the_jitter(seed: int) -> None:
    h = Harness(seed=seed).started()
    h.rounds(15, ALL_DOWN)
    h.rounds(10)
    assert h.kinds() == [AlertKind.META_DOWN, AlertKind.META_RECOVERED]


def test_two_services_down_at_once_give_one_partial_alert_naming_both() -> None:
    h = Harness().started()
    h.rounds(3, {"facebook": DOWN, "instagram": DOWN})
    assert h.kinds() == [AlertKind.META_PARTIAL]
    assert h.alerts[0].title == "Facebook and Instagram are down"
    assert h.alerts[0].services == ("facebook", "instagram")


def test_degraded_service_raises_no_down_alert() -> None:
    h = Harness().started()
    h.rounds(4, {"threads": DEGRADED})
    assert h.alerts == []
    assert h.monitor.confirmed_verdict() is Verdict.META_PARTIAL


def test_internet_outage_raises_one_internet_alert_and_no_meta_alert() -> None:
    h = Harness().started()
    h.rounds(6, internet=InternetState.DOWN)
    assert h.kinds() == [AlertKind.INTERNET_DOWN]
    assert h.alerts[0].services == ()
    assert h.monitor.confirmed_verdict() is Verdict.INTERNET_DOWN

    h.rounds(3)
    assert h.kinds() == [AlertKind.INTERNET_DOWN, AlertKind.INTERNET_RESTORED]
    back = h.alerts[1]
    assert back.title == "Your internet is back"
    assert back.duration_s is not None and back.duration_s > 0
    assert back.message == f"It was out for {_duration(back.duration_s)}."


def _duration(seconds: float) -> str:
    from traywatch.core.verdict.wording import duration

    return duration(seconds)


def test_limited_network_alert_and_its_recovery() -> None:
    h = Harness().started()
    h.rounds(3, internet=InternetState.LIMITED)
    h.rounds(3)
    assert h.kinds() == [AlertKind.NETWORK_LIMITED, AlertKind.NETWORK_RESTORED]
    assert h.alerts[1].title == "Your network is back to normal"


def test_a_meta_outage_seen_past_a_service_the_network_blocks_is_alerted_without_it() -> None:
    h = Harness().started()
    for _ in range(3):
        update = h.diagnosed(server_error, instagram=blocked("0.0.0.0"))
    assert h.kinds() == [AlertKind.META_DOWN]  # our internet stays ok: no "network limited"
    assert "instagram" not in h.alerts[0].services
    assert "Instagram" not in h.alerts[0].title
    assert update.snapshot.verdict is Verdict.META_DOWN
    assert "instagram" not in h.monitor.skip_map()  # never backed off: it is not down


def test_a_service_the_network_blocks_alone_is_limited_never_meta_down() -> None:
    h = Harness().started()
    for _ in range(3):
        update = h.diagnosed(instagram=blocked("0.0.0.0"))
    assert h.kinds() == [AlertKind.NETWORK_LIMITED]
    assert update.snapshot.verdict is Verdict.NETWORK_LIMITED


def test_services_down_before_an_internet_outage_give_no_new_alert_when_it_returns() -> None:
    h = Harness().started()
    h.rounds(3, ALL_DOWN)
    assert h.kinds() == [AlertKind.META_DOWN]
    h.rounds(4, internet=InternetState.DOWN)
    h.rounds(6, ALL_DOWN)
    assert h.kinds() == [AlertKind.META_DOWN, AlertKind.INTERNET_DOWN, AlertKind.INTERNET_RESTORED]


def test_a_recovery_says_how_much_of_the_outage_our_own_internet_hid() -> None:
    h = Harness().started()
    h.rounds(3, ALL_DOWN)
    h.rounds(6, internet=InternetState.DOWN, wait=300)  # 30 min without our own internet
    back = h.until_alert(AlertKind.META_RECOVERED)
    assert h.kinds() == [
        AlertKind.META_DOWN,
        AlertKind.INTERNET_DOWN,
        AlertKind.INTERNET_RESTORED,
        AlertKind.META_RECOVERED,
    ]
    assert back.message.startswith("Working again after ")
    assert "Your own internet was out for 30 min of that time, so it may have come back sooner." in (
        back.message
    )
    h.rounds(2, ALL_DOWN)  # a later outage with our internet working throughout: no such clause
    h.rounds(3, ALL_DOWN)
    again = h.until_alert(AlertKind.META_RECOVERED)
    assert "own internet" not in again.message


def test_a_meta_change_half_seen_before_an_internet_outage_is_forgotten() -> None:
    h = Harness().started()
    h.round({"facebook": DOWN})
    h.rounds(3, internet=InternetState.DOWN)
    h.round({"facebook": DOWN})
    assert h.kinds() == [AlertKind.INTERNET_DOWN]  # facebook seen down once since: not confirmed


def test_startup_with_meta_already_down_gives_one_startup_alert() -> None:
    h = Harness()
    h.rounds(4, ALL_DOWN)
    assert h.kinds() == [AlertKind.META_DOWN]
    assert h.alerts[0].startup is True
    assert set(h.alerts[0].services) == set(service_ids())


def test_startup_with_internet_down_gives_one_startup_internet_alert() -> None:
    h = Harness()
    h.rounds(4, internet=InternetState.DOWN)
    assert h.kinds() == [AlertKind.INTERNET_DOWN]
    assert h.alerts[0].startup is True


# -- pacing -----------------------------------------------------------------------------------------
def test_next_delay_is_the_confirm_delay_while_a_change_is_pending() -> None:
    h = Harness().started()
    h.round({"facebook": DOWN}, wait=0)
    assert h.monitor.next_delay() == SETTINGS.confirm_delay_s


def test_next_delay_is_about_the_interval_otherwise() -> None:
    h = Harness().started()
    delays = {h.monitor.next_delay() for _ in range(50)}
    assert all(54 <= d <= 66 for d in delays)
    assert len(delays) > 1  # jittered, not a fixed beat


def test_confirm_delay_is_never_slower_than_a_short_interval() -> None:
    h = Harness(CheckSettings(interval_s=0.2, confirm_delay_s=15))
    h.round(wait=0)
    assert h.monitor.next_delay() == 0.2


def test_suspend_confirmation_forgets_a_pending_change() -> None:
    h = Harness().started()
    h.round({"facebook": DOWN}, wait=0)
    h.monitor.suspend_confirmation()
    assert 54 <= h.monitor.next_delay() <= 66
    h.round({"facebook": DOWN})  # seen once again: only now pending
    assert h.alerts == []
    h.round({"facebook": DOWN})
    assert h.kinds() == [AlertKind.META_PARTIAL]


# -- backoff ----------------------------------------------------------------------------------------
def test_confirmed_down_service_backs_off_growing_capped_and_jittered() -> None:
    h = Harness().started()
    h.round({"facebook": DOWN})
    h.round({"facebook": DOWN}, wait=0)  # confirmed
    waits = []
    for _ in range(8):
        wait = h.recheck_wait("facebook")
        waits.append(wait)
        assert set(h.monitor.skip_map()) <= set(service_ids())  # references are never skipped
        h.clock.advance(wait)  # the next round lands when facebook is due again
        h.round({"facebook": DOWN}, wait=0)
        assert h.checked["facebook"][-1] == h.clock.mono

    cap, jitter = SETTINGS.backoff_cap_s, SETTINGS.jitter
    assert 60 * (1 - jitter) - 1 <= waits[0] <= 60 * (1 + jitter) + 1
    assert 120 * (1 - jitter) - 1 <= waits[1] <= 120 * (1 + jitter) + 1
    assert all(cap * (1 - jitter) - 1 <= w <= cap * (1 + jitter) + 1 for w in waits[2:]), waits
    assert len(set(waits[2:])) > 1  # jittered at the cap too
    assert h.kinds() == [AlertKind.META_PARTIAL]


def test_skipped_service_keeps_its_last_result_marked_unchecked() -> None:
    h = Harness().started()
    h.round({"facebook": DOWN})
    h.round({"facebook": DOWN}, wait=0)  # confirmed: backing off from now
    carried = h.monitor.skip_map()["facebook"]
    assert carried.checked is False
    assert carried.state is DOWN
    assert "next re-check in" in carried.detail
    assert set(h.monitor.skip_map()) == {"facebook"}  # healthy services are never skipped


@pytest.mark.parametrize(
    ("failing", "verdict"),
    [(server_error, Verdict.META_PARTIAL), (rate_limited(600), Verdict.OK)],
    ids=["down", "rate_limited"],
)
def test_the_re_check_countdown_stays_out_of_the_round_summary(failing: Maker, verdict: Verdict) -> None:
    h = Harness().started()
    while h.recheck_wait("facebook") < 30:  # confirmed, and backing off for a while yet
        h.diagnosed(facebook=failing)
    summaries, details = set(), set()
    for wait in (0, h.recheck_wait("facebook") - 1):  # just backed off, and a second before its re-check
        h.clock.advance(wait)
        d = diagnose(references(), services(**h.monitor.skip_map()), 3000.0)
        assert d.verdict is verdict
        summaries.add(d.summary)
        details.add(d.services[0].detail)
    assert len(details) == 2  # the menus still show the countdown...
    assert all("next re-check in" in detail for detail in details)
    assert len(summaries) == 1, summaries  # ...the sentence (tooltip, history) stays put
    assert "re-check" not in summaries.pop()


def test_references_keep_their_pace_while_services_back_off() -> None:
    h = Harness().started()
    h.rounds(4, ALL_DOWN)
    assert h.monitor.skip_map()  # services backing off...
    assert 54 <= h.monitor.next_delay() <= 66  # ...but rounds (and the references) keep pace


def test_retry_after_from_a_probe_is_respected() -> None:
    h = Harness().started()
    h.round({"facebook": DEGRADED}, retry_after={"facebook": 120})  # pending: re-checked soon
    h.round({"facebook": DEGRADED}, retry_after={"facebook": 120}, wait=0)  # confirmed
    assert h.recheck_wait("facebook") == 120
    carried = h.monitor.skip_map()["facebook"]
    assert carried.state is DEGRADED and "2 min" in carried.detail
    h.clock.advance(119)
    assert "facebook" in h.monitor.skip_map()
    h.clock.advance(1)
    assert "facebook" not in h.monitor.skip_map()


def test_retry_after_longer_than_the_backoff_wins_for_a_down_service_up_to_the_cap() -> None:
    h = Harness().started()
    h.round(ALL_DOWN)
    h.round(ALL_DOWN, retry_after={"facebook": 600}, wait=0)
    assert h.recheck_wait("facebook") == SETTINGS.backoff_cap_s  # not 600: never past the cap
    assert h.recheck_wait("instagram") <= 66


def test_recovered_service_stops_backing_off() -> None:
    h = Harness().started()
    h.rounds(6, {"facebook": DOWN})
    h.until_alert(AlertKind.META_RECOVERED)
    assert h.monitor.skip_map() == {}


# -- clocks -----------------------------------------------------------------------------------------
def test_wall_clock_going_backwards_gives_no_negative_duration() -> None:
    h = Harness().started()
    h.rounds(2, {"facebook": DOWN})
    h.clock.wall -= timedelta(hours=2)
    h.until_alert(AlertKind.META_RECOVERED)
    back = h.alerts[-1]
    assert back.kind is AlertKind.META_RECOVERED
    assert back.duration_s == 0.0
    assert back.message == "Working again after 0 s down."


def test_wall_clock_going_backwards_during_internet_outage_gives_no_negative_duration() -> None:
    h = Harness().started()
    h.rounds(2, internet=InternetState.DOWN)
    h.clock.wall -= timedelta(days=1)
    h.rounds(2)
    back = h.alerts[-1]
    assert back.kind is AlertKind.INTERNET_RESTORED
    assert back.duration_s == 0.0


def test_alert_json_has_the_contract_fields() -> None:
    h = Harness().started()
    h.rounds(2, ALL_DOWN)
    data = h.alerts[0].to_json()
    assert set(data) == {"type", "kind", "title", "message", "services", "at", "duration_s"}
    assert data["type"] == "alert" and data["kind"] == "meta_down"
    assert data["at"].endswith("Z")


# -- HTTP 429: Meta limiting this address ----------------------------------------------------------
def test_a_429_from_instagram_never_alerts_and_its_checks_back_off_without_retry_after() -> None:
    h = Harness().started()
    times: list[float] = []
    for _ in range(40):
        if "instagram" not in h.monitor.skip_map():
            times.append(h.clock.mono)
        update = h.diagnosed(instagram=rate_limited(None))
        assert update.snapshot.verdict is Verdict.OK
        assert update.snapshot.confirmed_states["instagram"] is UP
    assert h.alerts == []  # never an outage
    gaps = [b - a for a, b in itertools.pairwise(times)]
    jitter = SETTINGS.jitter
    assert 60 * (1 - jitter) - 1 <= gaps[0] <= 120 * (1 + jitter) + 1
    assert gaps[1] >= 120 * (1 - jitter)  # doubling...
    assert all(g >= SETTINGS.backoff_cap_s * (1 - jitter) for g in gaps[2:]), gaps  # ...to the cap
    assert len(times) < 40 / 2  # far fewer checks of Instagram than rounds


def test_a_429_asking_for_longer_than_the_cap_is_obeyed_up_to_the_cap() -> None:
    h = Harness().started()
    before = h.clock.mono
    h.diagnosed(instagram=rate_limited(900))
    # slowed down to the cap, not for 15 min: an outage behind the 429 must still be seen
    cap = SETTINGS.backoff_cap_s
    assert cap - 1 <= h.clock.mono - before + h.recheck_wait("instagram") <= cap + 1
    carried = h.monitor.skip_map()["instagram"]
    assert carried.state is UP and carried.note.startswith("Instagram is limiting requests")


def test_after_the_429_ends_the_service_is_checked_at_the_normal_pace_again() -> None:
    h = Harness().started()
    h.diagnosed(instagram=rate_limited(None))
    while "instagram" in h.monitor.skip_map():
        h.diagnosed()
    h.diagnosed()  # answers normally
    assert "instagram" not in h.monitor.skip_map()
    assert h.alerts == []


def test_a_429_while_meta_is_down_counts_as_trouble_and_still_backs_off() -> None:
    h = Harness().started()
    checks = 0
    for _ in range(12):
        checks += "instagram" not in h.monitor.skip_map()
        h.diagnosed(server_error, instagram=rate_limited(None))
    assert h.monitor.confirmed_states()["instagram"] is DEGRADED  # Meta turning everyone away
    assert h.monitor.confirmed_verdict() is Verdict.META_DOWN
    assert checks < 12
