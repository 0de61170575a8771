"""The loop that runs rounds forever: engine + monitor + listeners, with sleep/resume handling.

Used by `traywatch watch` and, from a worker thread, by the tray app. Listeners get every
MonitorUpdate (history, printing, the UI); a failing listener is logged, never fatal.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from traywatch.core.engine import Engine
from traywatch.core.models import OsHint
from traywatch.core.monitor import Monitor, MonitorUpdate

log = logging.getLogger(__name__)

Listener = Callable[[MonitorUpdate], None]
RESUME_GRACE_S = 10.0


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
        while not self._stop.is_set():
            self.run_once()
            delay = self.monitor.next_delay()
            wall, mono = time.time(), time.monotonic()
            self._wake.wait(delay)
            self._wake.clear()
            if self._stop.is_set():
                break
            slept = (time.time() - wall) - (time.monotonic() - mono)
            if slept > max(self.monitor.settings.interval_s, 30.0):
                log.info("resumed after about %.0f s of sleep; grace period before judging", slept)
                self.monitor.suspend_confirmation()
                self._wake.wait(RESUME_GRACE_S)
                self._wake.clear()
