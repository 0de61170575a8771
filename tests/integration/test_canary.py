"""Canaries against real local DNS and HTTPS servers: a service backing off gets a lookup +
connect + TLS handshake and no HTTP request while it still fails; once it gets through, the
service's full check runs in the same round."""

from __future__ import annotations

import random
import time

from tests.integration.conftest import LocalInternet
from traywatch.core.models import Layer, ServiceState
from traywatch.core.net.canary import run_canary
from traywatch.core.settings.config import Config
from traywatch.core.watch.engine import Engine
from traywatch.core.watch.monitor import Monitor
from traywatch.core.watch.scheduler import Scheduler

FACEBOOK = "www.facebook.com"


def backed_off(engine: Engine, config: Config) -> Scheduler:
    """Rounds until Facebook is confirmed down and its full check is carried (backing off)."""
    monitor = Monitor(config.check, rng=random.Random(1))
    scheduler = Scheduler(monitor)
    for _ in range(4):
        monitor.observe(engine.run_round(skip=scheduler.plan().skip))
        if "facebook" in scheduler.plan().skip:
            return scheduler
    raise AssertionError("facebook never backed off")


def test_a_canary_connects_and_shakes_hands_but_sends_no_http_request(net: LocalInternet) -> None:
    config = net.config(timeout=2.0)
    target = next(s for s in config.catalogue.services if s.id == "facebook").targets[0]
    requests, connections = net.web.requests(FACEBOOK), net.web.connections("https")
    with Engine(config) as engine:
        result = run_canary(target, engine._ctx, time.monotonic() + 2.0)
    assert result.ok, result.detail
    assert net.web.connections("https") == connections + 1
    assert net.web.requests(FACEBOOK) == requests, "a canary must not send an HTTP request"


def test_while_the_canary_still_fails_the_carried_result_stands(net: LocalInternet) -> None:
    config = net.config(timeout=2.0)
    net.web.set_cert(FACEBOOK, "expired")  # down at the TLS layer
    with Engine(config) as engine:
        scheduler = backed_off(engine, config)
        plan = scheduler.plan()
        assert plan.canaries == {"facebook"}
        connections = net.web.connections("https")
        rnd = engine.run_round(skip=plan.skip, canaries=plan.canaries)
    facebook = rnd.service("facebook")
    assert facebook is not None and not facebook.checked
    assert facebook.state is ServiceState.DOWN and "next re-check in" in facebook.detail
    other_https_targets = sum(
        1 for s in config.catalogue.services if s.id != "facebook" for t in s.targets if t.scheme == "https"
    )
    other_https_targets += sum(1 for r in config.catalogue.references if r.target.scheme == "https")
    assert net.web.connections("https") == connections + other_https_targets + 1  # + the canary


def test_a_canary_that_gets_through_runs_the_full_check_in_the_same_round(net: LocalInternet) -> None:
    config = net.config(timeout=2.0)
    net.dns.set(FACEBOOK, "servfail")  # October 2021 for one name
    with Engine(config) as engine:
        scheduler = backed_off(engine, config)
        plan = scheduler.plan()
        assert plan.canaries == {"facebook"}
        net.dns.set(FACEBOOK, ["127.0.0.1"])  # back
        before = net.web.requests(FACEBOOK)
        rnd = engine.run_round(skip=plan.skip, canaries=plan.canaries)
    facebook = rnd.service("facebook")
    assert facebook is not None and facebook.checked
    assert facebook.state is ServiceState.UP, facebook.detail
    assert net.web.requests(FACEBOOK) == before + 1  # the full check, once


def test_services_without_a_canary_stay_carried_when_they_recover(net: LocalInternet) -> None:
    config = net.config(timeout=2.0)
    net.dns.set(FACEBOOK, "servfail")
    with Engine(config) as engine:
        scheduler = backed_off(engine, config)
        net.dns.set(FACEBOOK, ["127.0.0.1"])
        rnd = engine.run_round(skip=scheduler.plan().skip)  # no canaries: the back-off alone
    facebook = rnd.service("facebook")
    assert facebook is not None and not facebook.checked and facebook.state is ServiceState.DOWN


def test_a_canary_names_the_layer_it_failed_at_and_keeps_the_deadline(net: LocalInternet) -> None:
    config = net.config(timeout=1.0)
    target = next(s for s in config.catalogue.services if s.id == "facebook").targets[0]
    net.dns.set(FACEBOOK, "timeout")
    with Engine(config) as engine:
        started = time.monotonic()
        result = run_canary(target, engine._ctx, started + 1.0)
    assert not result.ok and result.failed_layer is Layer.DNS
    assert time.monotonic() - started < 1.5
    net.dns.set(FACEBOOK, ["127.0.0.1"])
    with Engine(config) as engine:
        assert run_canary(target, engine._ctx, time.monotonic() + 1.0).ok
