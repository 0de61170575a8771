"""The loop that runs rounds forever: engine + monitor + listeners, with sleep/resume handling.

Used by `traywatch watch` and, from a worker thread, by the tray app. Listeners get every
MonitorUpdate (history, printing, the UI); a failing listener is logged, never fatal.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from traywatch.core.engine import Engine
from traywatch.core.models import OsHint
from traywatch.core.monitor import Monitor, MonitorUpdate

log = logging.getLogger(__name__)

Listener = Callable[[MonitorUpdate], None]
RESUME_GRACE_S = 10.0
MIN_SLEEP_S = 30.0  # smaller wall-clock jumps are clock corrections, not sleep
GRACE_ENV = "TRAYWATCH_RESUME_GRACE"  # seconds; tests and demos shorten the grace period


def resume_grace_s() -> float:
    try:
        return max(0.0, float(os.environ.get(GRACE_ENV, RESUME_GRACE_S)))
    except ValueError:
        return RESUME_GRACE_S


class ResumeGuard:
    """Tells a machine that slept from one that merely waited: the wall clock runs on during
    suspend, the monotonic clock does not. After a resume, nothing is judged for a grace period
    (the network is still reconnecting), so the reconnect phase never raises an alert."""

    def __init__(
        self,
        grace_s: float | None = None,
        wall: Callable[[], float] = time.time,
        mono: Callable[[], float] = time.monotonic,
    ) -> None:
        self.grace_s = resume_grace_s() if grace_s is None else grace_s
        self._wall, self._mono = wall, mono
        self._anchor = (wall(), mono())
        self._grace_until = float("-inf")

    def mark(self) -> None:
        """Remember 'now' on both clocks (call when a wait begins)."""
        self._anchor = (self._wall(), self._mono())

    def slept(self, interval_s: float) -> float | None:
        """Seconds asleep since mark() when it exceeds the interval, starting the grace period."""
        wall0, mono0 = self._anchor
        asleep = (self._wall() - wall0) - (self._mono() - mono0)
        if asleep <= max(interval_s, MIN_SLEEP_S):
            return None
        self._grace_until = self._mono() + self.grace_s
        return asleep

    def in_grace(self) -> bool:
        return self._mono() < self._grace_until


class Watcher:
    def __init__(
        self,
        engine: Engine,
        monitor: Monitor,
        listeners: list[Listener] | None = None,
        os_hint: Callable[[], OsHint] = lambda: OsHint.UNKNOWN,
    ) -> None:
        self.engine = engine
        self.monitor = monitor
        self.listeners = list(listeners or [])
        self._os_hint = os_hint
        self._wake = threading.Event()
        self._stop = threading.Event()

    def run_once(self) -> MonitorUpdate:
        rnd = self.engine.run_round(skip=self.monitor.skip_map(), os_hint=self._os_hint())
        update = self.monitor.observe(rnd)
        for listener in self.listeners:
            try:
                listener(update)
            except Exception:  # a broken listener must not stop the watching
                log.exception("listener %r failed", listener)
        return update

    def check_now(self) -> None:
        """Run the next round at once (menu "Check now", an OS reachability change)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        """Rounds until stop(). A wall-clock jump bigger than the interval means the machine
        slept: wait a short grace period and forget half-seen changes before judging again."""
        guard = ResumeGuard()
        while not self._stop.is_set():
            self.run_once()
            guard.mark()
            self._wake.wait(self.monitor.next_delay())
            self._wake.clear()
            asleep = guard.slept(self.monitor.settings.interval_s)
            if asleep is not None:
                log.info(
                    "resumed after about %.0f s asleep; %.0f s grace before judging", asleep, guard.grace_s
                )
                self.monitor.suspend_confirmation()
                # "Check now" requests (a reconnecting network sends them) do not cut the grace short.
                while guard.in_grace() and not self._stop.is_set():
                    self._stop.wait(min(1.0, guard.grace_s))
