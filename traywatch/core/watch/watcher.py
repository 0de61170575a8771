"""The loop that runs rounds: engine + monitor + listeners, paced by the core's Scheduler.

`run_once()` is one round as the scheduler plans it (carried services, canaries); the tray's
worker calls it from its QThread. `run()` is `traywatch watch`'s loop: it only turns the
scheduler's decisions into waits on an Event. Listeners get every MonitorUpdate (history,
printing, the UI); a failing listener is logged, never fatal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from traywatch.core.models import OsHint
from traywatch.core.watch.engine import Engine
from traywatch.core.watch.monitor import Monitor, MonitorUpdate
from traywatch.core.watch.scheduler import IGNORE, RUN, STOP, Action, Decision, Now, Scheduler

log = logging.getLogger(__name__)

Listener = Callable[[MonitorUpdate], None]


class Watcher:
    def __init__(
        self,
        engine: Engine,
        monitor: Monitor,
        listeners: list[Listener] | None = None,
        os_hint: Callable[[], OsHint] = lambda: OsHint.UNKNOWN,
        scheduler: Scheduler | None = None,
        clock: Callable[[], Now] = Now.read,
    ) -> None:
        """`clock` reads both clocks for the scheduler (fake clocks in tests)."""
        self.engine = engine
        self.monitor = monitor
        self.listeners = list(listeners or [])
        self.clock = clock
        self.scheduler = scheduler or Scheduler(monitor, now=clock())
        self._os_hint = os_hint
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._requested_at: float | None = None

    def run_once(self) -> MonitorUpdate:
        plan = self.scheduler.plan()
        rnd = self.engine.run_round(skip=plan.skip, os_hint=self._os_hint(), canaries=plan.canaries)
        update = self.monitor.observe(rnd)
        for listener in self.listeners:
            try:
                listener(update)
            except Exception:  # a broken listener must not stop the watching
                log.exception("listener %r failed", listener)
        return update

    def check_now(self) -> None:
        """Run the next round at once (menu "Check now", an OS reachability change)."""
        self._requested_at = self.clock().mono
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self.scheduler.stop()
        self._wake.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        """Rounds until stop(), each wait as the scheduler decides (the interval, the quick
        confirmation re-check, a grace period after sleep/resume); "check now" wakes it."""
        decision: Decision = RUN
        while not self._stop.is_set() and decision.action is not Action.STOP:
            if decision.action is Action.RUN:
                self.scheduler.round_starting(self.clock())
                self.run_once()
                decision = self.scheduler.round_finished(self.clock())
            else:
                decision = self._wait()

    def _wait(self) -> Decision:
        """Wait out the scheduler's current wait, or until "check now" or stop()."""
        woken = self._wake.wait(self.scheduler.remaining_s(self.clock()))
        self._wake.clear()
        requested, self._requested_at = self._requested_at, None
        if self._stop.is_set():
            return STOP
        if requested is not None:
            return self.scheduler.check_requested(requested, self.clock())
        if woken:
            return IGNORE
        return self.scheduler.timer_fired(self.clock())
