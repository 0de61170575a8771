"""A Monitor driven the way the watcher drives it, on a fake clock, for the monitor tests."""

from __future__ import annotations

import random
from collections.abc import Mapping

from tests.unit.factories import (
    FakeClock,
    Maker,
    ServiceSpecArg,
    make_round,
    ok,
    references,
    round_from,
    service_ids,
    services,
)
from traywatch.core.models import Alert, AlertKind, InternetState, ServiceState
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
