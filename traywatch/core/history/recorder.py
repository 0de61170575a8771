"""The recorder: a Watcher listener that turns MonitorUpdates into history rows.

Every round is written; incidents open and close on the monitor's *confirmed* transitions (a
one-round blip is not an incident; see `incidents`), and are marked when Meta Status first
confirms them (see `acknowledge`). A session is the interval traywatch was watching: it starts
with the first round and ends at quit, or at the last round before a gap of more than about
three intervals (sleep, a hung machine), so that gap counts as "not watching".

Writing happens in the recorder's own thread (see `writer`): a round only hands its rows over, so
a locked, slow or full file never holds up checking. When the file cannot be written (disk full,
read-only folder, another process holding it locked) monitoring goes on: rows wait in memory
(the last rounds, bounded), one warning is logged, and they are written when the disk allows.
When another traywatch records the same file this one stays out, and takes over once it stops.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

from traywatch.core.history.acknowledge import AckTracker
from traywatch.core.history.incidents import META, IncidentTracker
from traywatch.core.history.records import (
    EndReason,
    RoundRecorded,
    SessionEnded,
    SessionStarted,
    WriteOp,
)
from traywatch.core.history.writer import PRUNE_EVERY, HistoryWriter
from traywatch.core.models import RoundResult
from traywatch.core.watch.monitor import MonitorUpdate

__all__ = ["MAX_BUFFERED_ROUNDS", "META", "PRUNE_EVERY", "Recorder", "gap_for"]

log = logging.getLogger(__name__)

MAX_BUFFERED_ROUNDS = 4320  # three days of 60-second rounds (a few MB)


def gap_for(interval_s: float) -> float:
    """Longest pause between rounds that still counts as watching (~3 intervals, 1 min slack)."""
    return max(3.0 * interval_s, interval_s + 60.0)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _slim(rnd: RoundResult) -> RoundResult:
    """The round without its probe evidence (what the store keeps), so the buffer stays small."""
    return replace(rnd, references=(), services=tuple(replace(s, probes=()) for s in rnd.services))


class Recorder:
    """Call start() once, pass the recorder to the Watcher as a listener, call stop() at quit."""

    def __init__(
        self,
        path: Path,
        *,
        interval_s: float,
        retention_days: int = 90,
        clock: Callable[[], datetime] = _utcnow,
        max_buffered_rounds: int = MAX_BUFFERED_ROUNDS,
        busy_timeout_s: float = 1.0,
        stop_timeout_s: float = 5.0,
    ) -> None:
        """`busy_timeout_s`: how long one attempt waits for another process's lock (in the
        writer's thread; it tries again later); `stop_timeout_s`: how long stop() keeps trying."""
        self.path = path
        self.interval_s = interval_s
        self.gap_s = gap_for(interval_s)
        self._clock = clock
        self._writer = HistoryWriter(
            path,
            retention_days=retention_days,
            clock=clock,
            max_buffered_rounds=max_buffered_rounds,
            busy_timeout_s=busy_timeout_s,
            stop_timeout_s=stop_timeout_s,
            on_damage=self._damaged,
        )
        self._session: str | None = None
        self._fresh_session = False  # the file was started afresh: the next round begins a session
        self._last_at: datetime | None = None
        self._incidents = IncidentTracker()
        self._acks = AckTracker()  # when Meta Status confirmed the open incidents
        self._mutex = threading.Lock()  # rounds arrive on the watcher's thread, stop() on another

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Take the recorder lock (or find another traywatch recording) and start writing: the
        file is opened, a crash recovered and old rounds pruned in the writer's thread. Never
        waits for the file; failing to open it is not fatal (rounds wait in memory)."""
        with self._mutex:
            self._writer.start()

    def forget(self, service_ids: Collection[str]) -> None:
        """Services no longer watched: their open incidents end at the last round seen
        ("not watching"), and they are no longer tracked."""
        with self._mutex:
            ops: list[WriteOp] = []
            self._incidents.forget(ops, service_ids, self._last_at)
            if ops:
                self._writer.submit(ops)

    def stop(self) -> None:
        """Close what is open (incidents "still going on when traywatch was closed"), end the
        session, write what is waiting (for `stop_timeout_s` at most: what is still unwritten
        then is named in a warning), and let go of the file."""
        with self._mutex:
            ops: list[WriteOp] = []
            if not self._writer.disabled and self._session is not None and self._last_at is not None:
                now = self._clock()
                end = max(self._last_at, min(now, self._last_at + timedelta(seconds=self.gap_s)))
                self._end_session(ops, end, EndReason.APP_STOPPED)
            self._writer.stop(ops)

    def settle(self, timeout: float = 30.0) -> bool:
        """Wait until what the rounds so far handed over was written or kept (tests, exports)."""
        return self._writer.settle(timeout)

    def __enter__(self) -> Recorder:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def disabled(self) -> bool:
        """Another traywatch records this file (this one stays out until it stops)."""
        return self._writer.disabled

    @property
    def buffered_rounds(self) -> int:
        """Rounds waiting in memory for the disk."""
        return self._writer.buffered_rounds

    @property
    def dropped_rounds(self) -> int:
        """Rounds dropped from memory because too many waited."""
        return self._writer.dropped_rounds

    @property
    def retention_days(self) -> int:
        return self._writer.retention_days

    # -- the listener --------------------------------------------------------------------------
    def __call__(self, update: MonitorUpdate) -> None:
        with self._mutex:
            if self._writer.disabled and not self._writer.take_lock():
                return  # another traywatch records these rounds
            self._record(update)

    def set_retention(self, days: int) -> None:
        """A new retention period; a shorter one takes effect at the next round, not a day later."""
        with self._mutex:
            if days < self._writer.retention_days:
                self._writer.prune_soon = True
            self._writer.retention_days = days

    def _record(self, update: MonitorUpdate) -> None:
        rnd = update.snapshot.round
        at = rnd.checked_at
        ops: list[WriteOp] = []
        if self._fresh_session:  # a new session, reopening what is still going on
            self._fresh_session, self._session = False, None
            self._incidents.forget_open()
        last = self._last_at
        if self._session is not None and last is not None and abs((at - last).total_seconds()) > self.gap_s:
            log.info("no round since %s: that time is recorded as not watching", last.isoformat())
            self._end_session(ops, last, EndReason.NOT_WATCHING)
        new_session = self._session is None
        if new_session:
            self._session = uuid.uuid4().hex
            ops.append(SessionStarted(self._session, at, self.interval_s))
        ops.append(RoundRecorded(self._session or "", _slim(rnd), self.gap_s))
        self._incidents.observe(ops, update, self._session or "", new_session)
        ops.extend(self._acks.observe(rnd.official, self._incidents.open_services()))
        self._last_at = at
        self._writer.submit(ops)

    # -- sessions ------------------------------------------------------------------------------
    def _end_session(self, ops: list[WriteOp], at: datetime, reason: EndReason) -> None:
        """Close every open incident and the session itself at `at`."""
        self._incidents.close_all(ops, at, reason)
        if self._session is not None:
            ops.append(SessionEnded(self._session, at, reason, self.gap_s))
        self._session = None

    def _damaged(self) -> None:
        """The file was damaged and started afresh (called in the writer's thread, so only a flag:
        stop() may hold the mutex while it waits for that thread)."""
        self._fresh_session = True
