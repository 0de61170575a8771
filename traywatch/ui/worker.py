"""Runs the checks off the GUI thread: one round at a time, results delivered as Qt signals.

`CheckWorker` lives in its own QThread and drives `Watcher.run_once()` (engine + monitor +
listeners such as the history store) from a single-shot QTimer, so that "Check now", pausing and
quitting are ordinary queued calls. When to run a round is not decided here: the core's
Scheduler (the watcher's) decides the pace, the canaries, the sleep/resume grace and whether a
"check now" request is served; this only turns its decisions into the timer. New settings
arrive as a queued call too (`apply_config`), so they are applied between rounds, in the thread
that runs them; start-up work (opening the history file) also runs there, off the GUI thread.
`CheckService` is the GUI-side owner of the thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from traywatch.core.errors import message_of
from traywatch.core.settings.config import Config
from traywatch.core.settings.live_config import Applied, apply_config
from traywatch.core.watch.monitor import MonitorUpdate
from traywatch.core.watch.scheduler import Action, Decision, Scheduler
from traywatch.core.watch.watcher import Watcher
from traywatch.i18n import render

log = logging.getLogger(__name__)


class CheckWorker(QObject):
    """Lives in the worker thread; every slot runs there. The watcher's Scheduler decides; this
    only runs the rounds it asks for and turns its waits into a single-shot QTimer."""

    updated = Signal(object)  # MonitorUpdate (frozen core objects)
    round_started = Signal()
    resumed = Signal(float)  # seconds the machine slept; a grace period has begun
    failed = Signal(str)
    reconfigured = Signal(object)  # live_config.Applied

    def __init__(self, watcher: Watcher, on_start: Sequence[Callable[[], None]] = ()) -> None:
        super().__init__()
        self.watcher = watcher
        self._on_start = list(on_start)
        self._timer: QTimer | None = None
        self._running = False
        self.scheduled_s: float | None = None

    @property
    def scheduler(self) -> Scheduler:
        return self.watcher.scheduler

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
        self._follow(self.scheduler.check_requested(requested_at, self.watcher.clock()))

    @Slot(object)
    def apply_config(self, config: Config) -> None:
        """New settings, between rounds; the next round comes after the new interval at most."""
        try:
            applied: Applied = apply_config(self.watcher, config)
        except Exception as exc:
            log.exception("new settings could not be applied")
            self.failed.emit(render(message_of(exc)))
            return
        if self._timer is not None and self._timer.isActive() and not self._running:
            self._follow(self.scheduler.settings_changed(self.watcher.clock(), applied.engine_rebuilt))
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
        self._follow(self.scheduler.timer_fired(self.watcher.clock()))

    def _follow(self, decision: Decision) -> None:
        """Do what the scheduler decided: a round now, or a timer for the wait."""
        if self.watcher.stopped:
            return
        if decision.action is Action.RUN:
            self._run_round()
        elif decision.action is Action.WAIT:
            if decision.slept_s is not None:
                self.resumed.emit(decision.slept_s)
            self._schedule(decision.delay_s)

    def _run_round(self) -> None:
        if self._running:  # never re-entered, but be sure
            return
        self._running = True
        self.scheduler.round_starting(self.watcher.clock())
        self.round_started.emit()
        try:
            update: MonitorUpdate | None = self.watcher.run_once()
        except Exception as exc:  # a bug in a round must not end the checking
            log.exception("round failed")
            self.failed.emit(render(message_of(exc)))
            update = None
        finally:
            self._running = False
        if self.watcher.stopped:
            return
        if update is not None:
            self.updated.emit(update)
        self._follow(self.scheduler.round_finished(self.watcher.clock()))

    def _schedule(self, delay_s: float) -> None:
        self.scheduled_s = delay_s  # for logs and tests (the timer itself belongs to this thread)
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
        self._request.emit(self.watcher.clock().mono)

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
