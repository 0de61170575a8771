"""Retry-After and the back-off cap (audit finding 1): a server's "come back later" paces our
re-checks only once a change is confirmed, and never past the back-off cap — a 503 with
`Retry-After: 3600` is still confirmed and alerted, and a service behind a long 429 is looked at
again within the cap, so an outage behind it is seen. Also the re-check countdown never reads
"0 s" (finding 9)."""

from __future__ import annotations

from tests.unit.factories import rate_limited, server_error
from tests.unit.monitor.harness import SETTINGS, Harness
from traywatch.core.models import AlertKind, ServiceState, Verdict
from traywatch.core.verdict.wording import with_recheck

DOWN, UP = ServiceState.DOWN, ServiceState.UP
CAP, JITTER = SETTINGS.backoff_cap_s, SETTINGS.jitter
LATEST = CAP * (1 + JITTER) + 1  # the longest any re-check may be put off


def test_a_503_asking_for_an_hour_is_confirmed_at_the_confirmation_pace_and_alerted() -> None:
    h = Harness().started()
    h.round({"facebook": DOWN}, retry_after={"facebook": 3600}, wait=0)  # seen once: pending
    assert "facebook" not in h.monitor.skip_map()  # the confirming re-check is not put off
    assert h.monitor.next_delay() == SETTINGS.confirm_delay_s
    h.clock.advance(h.monitor.next_delay())
    h.round({"facebook": DOWN}, retry_after={"facebook": 3600})
    assert h.kinds() == [AlertKind.META_PARTIAL]


def test_after_confirmation_a_long_retry_after_is_honoured_only_up_to_the_cap() -> None:
    h = Harness().started()
    h.round({"facebook": DOWN}, retry_after={"facebook": 3600})
    h.round({"facebook": DOWN}, retry_after={"facebook": 3600}, wait=0)  # confirmed
    for _ in range(5):
        wait = h.recheck_wait("facebook")
        assert CAP - 1 <= wait <= LATEST, wait  # as long as allowed, never an hour
        assert "59 min" not in h.monitor.skip_map()["facebook"].detail
        h.clock.advance(wait)
        h.round({"facebook": DOWN}, retry_after={"facebook": 3600}, wait=0)


def test_a_retry_after_below_the_cap_still_wins_over_a_shorter_back_off() -> None:
    h = Harness().started()
    h.round({"facebook": DOWN})
    h.round({"facebook": DOWN}, retry_after={"facebook": 150}, wait=0)  # confirmed; back-off 60 s
    assert 150 <= h.recheck_wait("facebook") <= LATEST


def test_a_confirmed_service_that_recovers_behind_a_long_retry_after_is_seen_within_the_cap() -> None:
    h = Harness().started()
    h.rounds(2, {"facebook": DOWN}, retry_after={"facebook": 3600})
    start = h.clock.mono
    alert = h.until_alert(AlertKind.META_RECOVERED)
    assert alert.services == ("facebook",)
    assert h.clock.mono - start <= LATEST + 2 * SETTINGS.interval_s * (1 + JITTER)


def test_an_instagram_outage_behind_a_long_429_is_confirmed_and_alerted() -> None:
    h = Harness().started()
    h.diagnosed(instagram=rate_limited(3600))
    start = h.clock.mono
    for _ in range(20):
        update = h.diagnosed(instagram=server_error)
        if update.alerts:
            break
    assert h.kinds() == [AlertKind.META_PARTIAL]
    assert h.monitor.confirmed_states()["instagram"] is DOWN
    assert update.snapshot.verdict is Verdict.META_PARTIAL
    assert h.clock.mono - start <= LATEST + SETTINGS.interval_s * (1 + JITTER) + SETTINGS.confirm_delay_s


def test_a_back_off_ending_within_a_second_is_served_by_this_round() -> None:
    h = Harness().started()
    h.round({"facebook": DOWN})
    h.round({"facebook": DOWN}, retry_after={"facebook": 120}, wait=0)  # confirmed
    h.clock.advance(h.recheck_wait("facebook") - 0.4)
    assert "facebook" not in h.monitor.skip_map()  # due in 0.4 s: not put off a whole round


def test_the_re_check_countdown_never_reads_zero() -> None:
    h = Harness().started()
    h.round({"facebook": DOWN})
    h.round({"facebook": DOWN}, retry_after={"facebook": 120}, wait=0)
    due = h.recheck_wait("facebook")  # 120 s: the Retry-After
    start = h.clock.mono
    for left in (1.0, 1.2, 1.6, 30.5):
        h.clock.mono = start + due - left
        detail = h.monitor.skip_map()["facebook"].detail
        assert "in 0 s" not in detail and "re-check in" in detail, (left, detail)


def test_a_countdown_under_a_second_is_said_as_one_second() -> None:
    assert with_recheck("x", 0.3) == "x (next re-check in 1 s)"
    assert with_recheck("x", 1.2) == "x (next re-check in 2 s)"
    assert with_recheck("x", 120) == "x (next re-check in 2 min)"


def test_a_429_met_at_start_up_is_slowed_down_before_confirmation_without_holding_the_quick_pace() -> None:
    h = Harness()
    h.diagnosed(instagram=rate_limited(30))  # the very first round: every state awaits confirmation
    assert "instagram" in h.monitor.skip_map()  # slowed down at once: it is about this address
    h.diagnosed(instagram=rate_limited(30))  # everything else confirmed; Instagram carried
    assert h.monitor.confirmed_verdict() is Verdict.OK
    assert h.monitor.next_delay() > SETTINGS.confirm_delay_s  # the normal pace, not the quick one
