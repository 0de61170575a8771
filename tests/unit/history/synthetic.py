"""Synthetic rounds, and a driver that feeds them through the real Monitor to listeners.

Time is moved by hand (wall clock for rounds, monotonic clock for the monitor's backoff), so a
test can say "Instagram fails for 5 rounds, then the laptop sleeps for an hour".
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from traywatch.core.history import Recorder
from traywatch.core.models import (
    InternetState,
    InternetStatus,
    Layer,
    RoundResult,
    ServiceResult,
    ServiceState,
    Verdict,
)
from traywatch.core.settings.config import CheckSettings
from traywatch.core.watch.monitor import Monitor, MonitorUpdate, verdict_of

SERVICES = (
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("whatsapp", "WhatsApp"),
    ("messenger", "Messenger"),
    ("threads", "Threads"),
    ("ads_manager", "Ads Manager / Business Suite"),
    ("graph_api", "Graph API"),
)
IDS = tuple(sid for sid, _ in SERVICES)
T0 = datetime(2024, 12, 11, 9, 0, tzinfo=UTC)  # on the hour, so hour maths is easy to follow


def make_round(
    at: datetime,
    *,
    down: Iterable[str] = (),
    slow: Iterable[str] = (),
    internet: str = "up",
    summary: str | None = None,
    layer: Layer = Layer.HTTP,
    detail: str = "answered with a server error (HTTP 503)",
    services: Sequence[tuple[str, str]] = SERVICES,
) -> RoundResult:
    """A round as the engine reports it; while our internet is not up every service is unknown."""
    down, slow = set(down), set(slow)
    results = []
    for sid, name in services:
        if internet != "up":
            results.append(ServiceResult(sid, name, ServiceState.UNKNOWN, None, None, "not checked"))
        elif sid in down:
            results.append(ServiceResult(sid, name, ServiceState.DOWN, layer, 50.0, detail))
        elif sid in slow:
            results.append(ServiceResult(sid, name, ServiceState.DEGRADED, None, 4000.0, "slow (4000 ms)"))
        else:
            results.append(ServiceResult(sid, name, ServiceState.UP, None, 120.0, "answers normally"))
    if internet == "down":
        verdict = Verdict.INTERNET_DOWN
    elif internet == "limited":
        verdict = Verdict.NETWORK_LIMITED
    else:
        verdict = verdict_of({r.id: r.state for r in results})
    return RoundResult(
        verdict=verdict,
        summary=summary or f"synthetic round: {verdict.value}",
        internet=InternetStatus(InternetState(internet), f"synthetic internet {internet}"),
        services=tuple(results),
        references=(),
        checked_at=at,
        duration_ms=42.0,
    )


class Driver:
    """Rounds every `interval` seconds through a real Monitor (a change counts after 2 rounds)."""

    def __init__(
        self,
        listeners: Sequence[Callable[[MonitorUpdate], None]] = (),
        start: datetime = T0,
        interval: float = 60.0,
    ) -> None:
        self.listeners = list(listeners)
        self.now = start
        self.interval = interval
        self.mono = 1000.0
        settings = CheckSettings(interval_s=interval, confirm_delay_s=interval)
        self.monitor = Monitor(settings, rng=random.Random(7), clock=lambda: self.mono)

    def clock(self) -> datetime:
        return self.now

    def round(self, **kwargs: object) -> MonitorUpdate:
        rnd = make_round(self.now, **kwargs)  # type: ignore[arg-type]
        update = self.monitor.observe(rnd)
        self.deliver(update)
        self.advance(self.interval)
        return update

    def record_to(self, path: Path) -> Recorder:
        """A started recorder on `path`, listening to these rounds."""
        rec = Recorder(path, interval_s=self.interval, clock=self.clock)
        rec.start()
        self.listeners.append(rec)
        return rec

    def deliver(self, update: MonitorUpdate) -> None:
        """Hand the update to every listener; a recorder writes in its own thread: let it
        finish, as the minute until the next round would."""
        for listener in self.listeners:
            listener(update)
        for listener in self.listeners:
            settle = getattr(listener, "settle", None)
            if settle is not None:
                settle()

    def rounds(self, count: int, **kwargs: object) -> list[MonitorUpdate]:
        return [self.round(**kwargs) for _ in range(count)]

    def advance(self, seconds: float) -> None:
        """Time passes without rounds (app closed, machine asleep, or the gap between rounds)."""
        self.now += timedelta(seconds=seconds)
        self.mono += max(0.0, seconds)

    def at(self, minutes: float) -> datetime:
        return T0 + timedelta(minutes=minutes)


def die(rec: Recorder) -> None:
    """The process dies: no stop(); the operating system drops its lock and its connection."""
    rec._writer.lock.release()
    assert rec._writer.store is not None
    rec._writer.store.close()


def died_while_instagram_was_down(path: Path) -> Driver:
    """3 fine rounds, 6 with Instagram down (an incident opens), then the process dies."""
    driver = Driver()
    rec = driver.record_to(path)
    driver.rounds(3)
    driver.rounds(6, down=["instagram"])
    die(rec)
    driver.listeners.clear()
    return driver
