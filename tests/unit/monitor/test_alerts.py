"""The monitor confirms changes before it alerts, groups alerts, stays quiet about Meta while our
internet is down, and keeps durations sane when the wall clock jumps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.factories import blocked, server_error, service_ids
from tests.unit.monitor.harness import ALL_DOWN, DEGRADED, DOWN, UP, Harness
from traywatch.core.models import AlertKind, InternetState, Verdict


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
