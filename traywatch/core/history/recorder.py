"""The recorder: a Watcher listener that turns MonitorUpdates into history rows.

Every round is written; incidents open and close on the monitor's *confirmed* transitions (a
one-round blip is not an incident; see `incidents`), and are marked when Meta Status first
confirms them (see `acknowledge`). A session is the interval traywatch was watching: it starts
with the first round and ends at quit, or at the last round before a gap of more than about
three intervals (sleep, a hung machine), so that gap counts as "not watching". When the file
cannot be written (disk full, read-only folder, locked too long) monitoring goes on: rows wait
in memory (the last rounds, bounded), one warning is logged, and they are written when the disk
allows.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

from traywatch.core.history.acknowledge import AckTracker
from traywatch.core.history.connection import is_corruption
from traywatch.core.history.incidents import META, IncidentTracker
from traywatch.core.history.lock import RecorderLock
from traywatch.core.history.records import (
    EndReason,
    HistoryError,
    RoundRecorded,
    SessionEnded,
    SessionStarted,
    WriteOp,
)
from traywatch.core.history.store import HistoryStore
from traywatch.core.models import RoundResult
from traywatch.core.monitor import MonitorUpdate

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


PRUNE_EVERY = timedelta(days=1)


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
        busy_timeout_s: float = 10.0,
    ) -> None:
        self.path = path
        self.interval_s = interval_s
        self.gap_s = gap_for(interval_s)
        self.retention_days = retention_days
        self.max_buffered_rounds = max_buffered_rounds
        self.busy_timeout_s = busy_timeout_s
        self._clock = clock
        self._lock = RecorderLock(path.with_name(path.name + ".lock"))
        self._store: HistoryStore | None = None
        self._ops: deque[WriteOp] = deque()
        self._buffered_rounds = 0
        self.dropped_rounds = 0
        self.disabled = False  # another traywatch records this file
        self._failing = False
        self._started_up = False  # recovery and pruning done (once per recorder)
        self._pruned_at: datetime | None = None  # a long-running app prunes again once a day
        self._prune_soon = False  # a shorter retention was set: prune at the next round
        self._check_next = False
        self._session: str | None = None
        self._last_at: datetime | None = None
        self._incidents = IncidentTracker()
        self._acks = AckTracker()  # when Meta Status confirmed the open incidents
        self._mutex = threading.Lock()  # rounds arrive on the watcher's thread, stop() on another

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Take the recorder lock, open the file, recover from a crash and prune old rounds.
        Failing to open is not fatal: rounds then wait in memory until it works."""
        with self._mutex:
            self._connect()

    def forget(self, service_ids: Collection[str]) -> None:
        """Services no longer watched: their open incidents end at the last round seen
        ("not watching"), and they are no longer tracked."""
        with self._mutex:
            ops: list[WriteOp] = []
            self._incidents.forget(ops, service_ids, self._last_at)
            if ops:
                self._enqueue(ops)
                self._flush()

    def stop(self) -> None:
        """Close what is open (incidents "still going on when traywatch was closed"), end the
        session, write what is buffered, and let go of the file."""
        with self._mutex:
            self._stop()

    def _stop(self) -> None:
        if not self.disabled and self._session is not None and self._last_at is not None:
            now = self._clock()
            end = max(self._last_at, min(now, self._last_at + timedelta(seconds=self.gap_s)))
            ops: list[WriteOp] = []
            self._end_session(ops, end, EndReason.APP_STOPPED)
            self._enqueue(ops)
        self._flush()
        if self._ops:
            log.warning(
                "could not write the last %d round(s) to the history file %s before quitting",
                self._buffered_rounds,
                self.path,
            )
        if self._store is not None:
            self._store.close()
            self._store = None
        self._lock.release()

    def __enter__(self) -> Recorder:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def buffered_rounds(self) -> int:
        """Rounds waiting in memory for the disk."""
        return self._buffered_rounds

    # -- the listener --------------------------------------------------------------------------
    def __call__(self, update: MonitorUpdate) -> None:
        with self._mutex:
            if not self.disabled:
                self._record(update)
                last = self._pruned_at
                due = self._prune_soon or (last is not None and self._clock() - last > PRUNE_EVERY)
                if self._store is not None and last is not None and due:
                    self._prune(self._store)

    def set_retention(self, days: int) -> None:
        """A new retention period; a shorter one takes effect at the next round, not a day later."""
        with self._mutex:
            if days < self.retention_days:
                self._prune_soon = True
            self.retention_days = days

    def _prune(self, store: HistoryStore) -> None:
        """Roll up and drop raw rounds older than the retention period."""
        self._pruned_at = self._clock()
        self._prune_soon = False
        try:
            store.prune(self.retention_days, self._pruned_at)
        except sqlite3.Error as exc:
            log.info("old rounds were not pruned this time: %s", exc)

    def _record(self, update: MonitorUpdate) -> None:
        rnd = update.snapshot.round
        at = rnd.checked_at
        ops: list[WriteOp] = []
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
        self._enqueue(ops)
        self._flush()

    # -- sessions ------------------------------------------------------------------------------
    def _end_session(self, ops: list[WriteOp], at: datetime, reason: EndReason) -> None:
        """Close every open incident and the session itself at `at`."""
        self._incidents.close_all(ops, at, reason)
        if self._session is not None:
            ops.append(SessionEnded(self._session, at, reason, self.gap_s))
        self._session = None

    # -- writing, or keeping in memory -----------------------------------------------------------
    def _enqueue(self, ops: list[WriteOp]) -> None:
        for op in ops:
            self._ops.append(op)
            if isinstance(op, RoundRecorded):
                self._buffered_rounds += 1
        while self._buffered_rounds > self.max_buffered_rounds:
            oldest = next(i for i, op in enumerate(self._ops) if isinstance(op, RoundRecorded))
            del self._ops[oldest]
            self._buffered_rounds -= 1
            self.dropped_rounds += 1

    def _trouble(self, what: str, exc: BaseException) -> None:
        if not self._failing:
            log.warning(
                "cannot %s the history file %s (%s). Watching goes on; the last rounds are kept in "
                "memory and written as soon as possible.",
                what,
                self.path,
                exc,
            )
            self._failing = True
        else:
            log.debug("still cannot %s the history file: %s", what, exc)

    def _connect(self) -> bool:
        if self._store is not None:
            return True
        if self.disabled:
            return False
        try:
            if not self._lock.acquire():
                self.disabled = True
                self._ops.clear()
                self._buffered_rounds = 0
                log.warning(
                    "another traywatch is already recording the history in %s; this one will not record",
                    self.path,
                )
                return False
            # the first open checks every page (quick_check): damage inside the file is moved aside now
            check = self._check_next or not self._started_up
            store = HistoryStore.open(self.path, busy_timeout_s=self.busy_timeout_s, check=check)
        except (HistoryError, OSError) as exc:
            self._trouble("open", exc)
            return False
        if not self._started_up:
            try:
                store.recover()  # before our own session exists: only a dead traywatch's rows
            except sqlite3.Error as exc:
                store.close()
                self._trouble("tidy up", exc)
                return False
            self._prune(store)
            self._started_up = True
        self._store, self._check_next = store, False
        return True

    def _flush(self) -> None:
        if not self._ops or not self._connect() or self._store is None:
            return
        try:
            self._store.write(list(self._ops))
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
            log.exception("history rows rejected by the database; %d operation(s) dropped", len(self._ops))
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                self._trouble("write", exc)
                return
            log.warning("the history file %s is damaged (%s); starting a new one", self.path, exc)
            self._store.close()
            self._store, self._check_next = None, True
            self._session = None  # the next round starts afresh, reopening what is still bad
            self._incidents.forget_open()
        except OSError as exc:
            self._trouble("write", exc)
            return
        else:
            if self._failing:
                log.info("the history file can be written again; %d round(s) saved", self._buffered_rounds)
            self._failing = False
        self._ops.clear()
        self._buffered_rounds = 0
