"""`traywatch watch`'s loop turns the scheduler's decisions into waits: rounds at the pace it
sets, "check now" served at once, stop() ends the wait without another round."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

from tests.unit.factories import make_round
from traywatch.core.models import RoundResult
from traywatch.core.settings.config import CheckSettings
from traywatch.core.watch.monitor import Monitor
from traywatch.core.watch.watcher import Watcher


class CountingEngine:
    """Healthy rounds without a network, noting what each round was asked to carry."""

    def __init__(self) -> None:
        self.rounds: list[float] = []

    def run_round(self, skip: Any = None, os_hint: Any = None, canaries: Any = ()) -> RoundResult:
        self.rounds.append(time.monotonic())
        return make_round(datetime.now(UTC))


def wait_until(predicate: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_check_now_runs_a_round_at_once_and_stop_ends_the_wait() -> None:
    engine = CountingEngine()
    monitor = Monitor(CheckSettings(interval_s=3600, confirm_delay_s=3600, jitter=0))
    watcher = Watcher(engine, monitor)  # type: ignore[arg-type]
    thread = threading.Thread(target=watcher.run)
    thread.start()
    try:
        wait_until(lambda: len(engine.rounds) == 1)
        time.sleep(0.2)
        assert len(engine.rounds) == 1  # the next one is an hour away
        watcher.check_now()
        wait_until(lambda: len(engine.rounds) == 2)
    finally:
        stopped_at = time.monotonic()
        watcher.stop()
        thread.join(5)
    assert not thread.is_alive() and time.monotonic() - stopped_at < 1
    assert len(engine.rounds) == 2


def test_rounds_follow_the_schedulers_pace() -> None:
    engine = CountingEngine()
    monitor = Monitor(CheckSettings(interval_s=1.0, confirm_delay_s=0.05, jitter=0))
    watcher = Watcher(engine, monitor)  # type: ignore[arg-type]
    thread = threading.Thread(target=watcher.run)
    thread.start()
    try:
        wait_until(lambda: len(engine.rounds) >= 3)
    finally:
        watcher.stop()
        thread.join(5)
    gaps = [b - a for a, b in zip(engine.rounds, engine.rounds[1:], strict=False)]
    assert 0.04 <= gaps[0] < 0.5  # the first verdict's quick re-check
    assert gaps[1] >= 0.99  # then the interval
