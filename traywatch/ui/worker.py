"""Runs the checks off the GUI thread: one round at a time, results delivered as Qt signals.

`CheckWorker` lives in its own QThread and drives `Watcher.run_once()` (engine + monitor +
listeners such as the history store) from a single-shot QTimer, so that "Check now", pausing and
quitting are ordinary queued calls. It also owns the sleep/resume rule: a wall-clock jump bigger
than the interval (at least `MIN_SLEEP_S`) means the machine slept; half-seen changes are forgotten
and nothing is judged for a grace period, during which "check now" requests (a reconnecting
network triggers them) are ignored, so the reconnect phase never raises an alert. New settings
arrive as a queued call too (`apply_config`), so they are applied between rounds, in the thread
that runs them; start-up work (opening the history file) also runs there, off the GUI thread.
`CheckService` is the GUI-side owner of the thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from traywatch.core.config import Config
from traywatch.core.live_config import Applied, apply_config
from traywatch.core.monitor import MonitorUpdate
from traywatch.core.watcher import ResumeGuard, Watcher

log = logging.getLogger(__name__)


class CheckWorker(QObject):
    """Lives in the worker thread; every slot runs there."""

    updated = Signal(object)  # MonitorUpdate (frozen core objects)
    round_started = Signal()
    resumed = Signal(float)  # seconds the machine slept; a grace period has begun
    failed = Signal(str)
    reconfigured = Signal(object)  # live_config.Applied

    def __init__(
        self,
        watcher: Watcher,
        wall: Callable[[], float] = time.time,
        mono: Callable[[], float] = time.monotonic,
        grace_s: float | None = None,
        on_start: Sequence[Callable[[], None]] = (),
    ) -> None:
        super().__init__()
        self.watcher = watcher
        self._on_start = list(on_start)
        self._mono = mono
        self._guard = ResumeGuard(grace_s, wall, mono)
        self.grace_s = self._guard.grace_s
        self._timer: QTimer | None = None
        self._last_round_started = float("-inf")
        self._running = False
        self.scheduled_s: float | None = None

    # -- slots (worker thread) -------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        for job in self._on_start:  # e.g. the history recorder: lock, open, tidy up
            try:
                job()
            except Exception:
                log.exception("start-up job %r failed", job)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
        self._run_round()

    @Slot(float)
    def check_now(self, requested_at: float) -> None:
        """Run a round at once, unless one started after the request or a resume grace is running."""
        if self.watcher.stopped:
            return
        if self._detect_sleep():
            return
        if self._guard.in_grace():
            log.info("check request ignored: waiting for the network after sleep")
            return
        if requested_at < self._last_round_started:
            log.debug("check request already served by a newer round")
            return
        self._run_round()

    @Slot(object)
    def apply_config(self, config: Config) -> None:
        """New settings, between rounds; the next round comes after the new interval at most."""
        try:
            applied: Applied = apply_config(self.watcher, config)
        except Exception as exc:
            log.exception("new settings could not be applied")
            self.failed.emit(str(exc))
            return
        if self._timer is not None and self._timer.isActive() and not self._running:
            delay = self.watcher.monitor.next_delay()
            if applied.engine_rebuilt or self._timer.remainingTime() > delay * 1000:
                self._schedule(delay)
        self.reconfigured.emit(applied)  # last: whoever waits for it sees the new schedule too

    @Slot()
    def shutdown(self) -> None:
        """Release the timer in its own thread (Qt timers must die where they live)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer.deleteLater()
            self._timer = None

    # -- internals -----------------------------------------------------------------------
    def _on_timer(self) -> None:
        if self.watcher.stopped or self._detect_sleep():
            return
        self._run_round()

    def _detect_sleep(self) -> bool:
        """True (and a grace period scheduled) when the wall clock jumped past the monotonic one."""
        slept = self._guard.slept(self.watcher.monitor.settings.interval_s)
        if slept is None:
            return False
        log.info("resumed after about %.0f s asleep; %.0f s grace before judging", slept, self.grace_s)
        self.watcher.monitor.suspend_confirmation()
        self.resumed.emit(slept)
        self._schedule(self.grace_s)
        return True

    def _run_round(self) -> None:
        if self._running:  # never re-entered, but be sure
            return
        self._running = True
        self._last_round_started = self._mono()
        self.round_started.emit()
        try:
            update: MonitorUpdate | None = self.watcher.run_once()
        except Exception as exc:  # a bug in a round must not end the checking
            log.exception("round failed")
            self.failed.emit(str(exc))
            update = None
        finally:
            self._running = False
        if self.watcher.stopped:
            return
        if update is not None:
            self.updated.emit(update)
        self._schedule(self.watcher.monitor.next_delay())

    def _schedule(self, delay_s: float) -> None:
        self.scheduled_s = delay_s  # for logs and tests (the timer itself belongs to this thread)
        self._guard.mark()
        if self._timer is not None and not self.watcher.stopped:
            self._timer.start(max(0, round(delay_s * 1000)))


class CheckService(QObject):
    """GUI-thread owner of the worker thread: start, check now, stop."""

    updated = Signal(object)
    round_started = Signal()
    resumed = Signal(float)
    reconfigured = Signal(object)
    _request = Signal(float)
    _reconfigure = Signal(object)
    _shutdown = Signal()

    def __init__(
        self,
        watcher: Watcher,
        parent: QObject | None = None,
        on_start: Sequence[Callable[[], None]] = (),
    ) -> None:
        super().__init__(parent)
        self.watcher = watcher
        self.qthread = QThread()
        self.qthread.setObjectName("traywatch-checks")
        self.worker = CheckWorker(watcher, on_start=on_start)
        self.worker.moveToThread(self.qthread)
        self.qthread.started.connect(self.worker.start)
        self.worker.updated.connect(self.updated)
        self.worker.round_started.connect(self.round_started)
        self.worker.resumed.connect(self.resumed)
        self.worker.reconfigured.connect(self.reconfigured)
        self._request.connect(self.worker.check_now)
        self._reconfigure.connect(self.worker.apply_config)
        self._shutdown.connect(self.worker.shutdown)

    def start(self) -> None:
        self.qthread.start()

    def check_now(self) -> None:
        self._request.emit(time.monotonic())

    def reconfigure(self, config: Config) -> None:
        """Hand new settings to the worker thread (applied between rounds)."""
        self._reconfigure.emit(config)

    def stop(self, wait_s: float | None = None) -> bool:
        """Stop after the round in progress (probes have a deadline); True when the thread ended."""
        self.watcher.stop()
        self._shutdown.emit()  # queued: runs in the worker thread before the quit below
        self.qthread.quit()
        budget = self.watcher.engine.config.check.timeout_s + 2.0 if wait_s is None else wait_s
        finished = self.qthread.wait(round(budget * 1000))
        if not finished:
            log.warning("the checking thread did not stop within %.0f s", budget)
        self.watcher.engine.close()
        return bool(finished)
