"""When the monitor checks again: the round pace and confirmation re-checks, and the back-off from
services that are down or limit our requests (with jitter, capped, honouring Retry-After)."""

from __future__ import annotations

import itertools

import pytest

from tests.unit.factories import Maker, rate_limited, references, server_error, service_ids, services
from tests.unit.monitor.harness import ALL_DOWN, DEGRADED, DOWN, SETTINGS, UP, Harness
from traywatch.core.models import AlertKind, Verdict
from traywatch.core.settings.config import CheckSettings
from traywatch.core.verdict.diagnosis import diagnose


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
