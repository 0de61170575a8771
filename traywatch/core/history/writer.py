"""The recorder's writer: a thread of its own that owns the history file, so that a slow, locked
or full file never holds up a round.

Rounds hand their write operations over (`submit`, never waiting for SQLite); the thread takes
the recorder lock's file, opens the history (crash recovery and pruning the first time), writes
each batch in one transaction and prunes once a day. While the file cannot be written (another
process holding an exclusive transaction, a full disk, a read-only folder) the operations wait in
memory, bounded to the last rounds, and each new round or a retry every few seconds tries again.

At stop it keeps trying for `stop_timeout_s` at most; whatever is still unwritten then is named
precisely in one warning (how many rounds, from when to when, and why), and the process can end.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from traywatch.core.history.connection import is_corruption
from traywatch.core.history.lock import RecorderLock
from traywatch.core.history.records import HistoryError, RoundRecorded, WriteOp
from traywatch.core.history.store import HistoryStore

log = logging.getLogger(__name__)

PRUNE_EVERY = timedelta(days=1)
RETRY_S = 5.0  # while the file cannot be written, try again this often even without new rounds
STOP_RETRY_S = 0.25  # ... and this often while stopping


class HistoryWriter:
    def __init__(
        self,
        path: Path,
        *,
        retention_days: int,
        clock: Callable[[], datetime],
        max_buffered_rounds: int,
        busy_timeout_s: float,
        stop_timeout_s: float,
        on_damage: Callable[[], None],
    ) -> None:
        self.path = path
        self.retention_days = retention_days
        self.max_buffered_rounds = max_buffered_rounds
        self.busy_timeout_s = busy_timeout_s
        self.stop_timeout_s = stop_timeout_s
        self._clock = clock
        self._on_damage = on_damage  # the recorder starts a fresh session after damage
        self.lock = RecorderLock(path.with_name(path.name + ".lock"))
        self._lock_mutex = threading.Lock()
        self.store: HistoryStore | None = None  # used by the writer thread only
        self.disabled = False  # another traywatch records this file
        self.dropped_rounds = 0
        self._cond = threading.Condition()
        self._ops: deque[WriteOp] = deque()
        self._rounds = 0  # rounds waiting (queued or being written)
        self._asked = 0  # submissions so far...
        self._tried = 0  # ... and how many of them the thread has tried to write
        self._writing = False
        self._stopping = False
        self._deadline = 0.0  # when stop() gives up trying (monotonic)
        self._trouble_seen: str | None = None  # the last reason the file could not be written
        self._failing = False
        self._started_up = False  # recovery and pruning done (once per recorder)
        self._pruned_at: datetime | None = None
        self.prune_soon = False  # a shorter retention was set: prune at the next write
        self._check_next = False
        self._thread: threading.Thread | None = None

    # -- the round's side (never waits for SQLite) -----------------------------------------------
    def start(self) -> None:
        """Take the recorder lock (or find another traywatch recording), start the thread."""
        self.take_lock()
        self._thread = threading.Thread(target=self._run, name="traywatch-history", daemon=True)
        self._thread.start()
        self.submit([])  # open the file (recovery, pruning) before the first round

    def take_lock(self) -> bool:
        """Whether this recorder may write: the lock is ours (taken now if it is free)."""
        with self._lock_mutex:  # the round's thread and the writer's may both ask
            if self.lock.held:
                return True
            try:
                got = self.lock.acquire()
            except OSError as exc:
                self._trouble("open", exc)  # the thread tries again with the next round
                return False
        if got:
            if self.disabled:
                log.warning(
                    "the other traywatch stopped recording the history in %s; this one takes over "
                    "and records it from now on",
                    self.path,
                )
            self.disabled = False
        elif not self.disabled:
            self.disabled = True
            log.warning(
                "another traywatch is already recording the history in %s; this one will not record "
                "(it takes over when that one stops)",
                self.path,
            )
        return got

    def submit(self, ops: list[WriteOp]) -> None:
        with self._cond:
            for op in ops:
                self._ops.append(op)
                if isinstance(op, RoundRecorded):
                    self._rounds += 1
            if not self._writing:
                self._trim()
            self._asked += 1
            self._cond.notify_all()

    def settle(self, timeout: float = 30.0) -> bool:
        """Wait until everything submitted so far was tried (written, or kept after a failure)."""
        with self._cond:
            asked = self._asked
            return self._cond.wait_for(lambda: self._tried >= asked or self._thread is None, timeout)

    @property
    def buffered_rounds(self) -> int:
        with self._cond:
            return self._rounds

    def _trim(self) -> None:
        """Keep the newest rounds when too many wait (call with the condition held, not writing)."""
        while self._rounds > self.max_buffered_rounds:
            oldest = next(i for i, op in enumerate(self._ops) if isinstance(op, RoundRecorded))
            del self._ops[oldest]
            self._rounds -= 1
            self.dropped_rounds += 1

    # -- stopping ----------------------------------------------------------------------------------
    def stop(self, last_ops: list[WriteOp]) -> None:
        """Write what is left (trying for `stop_timeout_s` at most), then let go of the file."""
        self.submit(last_ops)
        thread = self._thread
        if thread is not None:
            with self._cond:
                self._stopping = True
                self._deadline = time.monotonic() + self.stop_timeout_s
                self._cond.notify_all()
            thread.join(self.stop_timeout_s + self.busy_timeout_s + 2.0)
            if thread.is_alive():  # stuck inside SQLite: the process may end; leave the file to it
                log.warning("the history file %s did not answer in time while quitting", self.path)
                return
        with self._cond:
            self._thread = None
            rounds = [op.round.checked_at for op in self._ops if isinstance(op, RoundRecorded)]
            others = len(self._ops) - len(rounds)
            self._cond.notify_all()
        if rounds:
            when = f"from {min(rounds).astimezone():%Y-%m-%d %H:%M:%S} to {max(rounds).astimezone():%H:%M:%S}"
            log.warning(
                "could not write the last %d round(s) (%s) to the history file %s before quitting, "
                "after trying for %g s: %s. The rounds before them are in the file; these %d are lost.",
                len(rounds),
                when,
                self.path,
                self.stop_timeout_s,
                self._trouble_seen or "it could not be written",
                len(rounds),
            )
        elif others:
            log.warning(
                "could not write the end of this session to the history file %s before quitting, "
                "after trying for %g s: %s. Every round is in the file; the next start ends the "
                "session at its last round, marked as an unexpected stop.",
                self.path,
                self.stop_timeout_s,
                self._trouble_seen or "it could not be written",
            )
        if self.store is not None:
            self.store.close()
            self.store = None
        self.lock.release()

    # -- the writer thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                while self._tried >= self._asked and not self._stopping:
                    if not self._cond.wait(RETRY_S) and self._ops:
                        break  # retry a failed write now and then even without new rounds
                pending = self._tried < self._asked or bool(self._ops)
                if self._stopping and (not pending or time.monotonic() >= self._deadline):
                    return
                asked = self._asked
                batch = list(self._ops)
                self._ops.clear()
                self._writing = True
            done = self._write(batch)
            with self._cond:
                self._writing = False
                if done:
                    self._rounds -= sum(isinstance(op, RoundRecorded) for op in batch)
                else:
                    self._ops.extendleft(reversed(batch))
                    self._trim()
                self._tried = asked
                self._cond.notify_all()
                if self._stopping and not done:
                    self._cond.wait(STOP_RETRY_S)

    def _write(self, batch: list[WriteOp]) -> bool:
        """Write the batch (True), or keep it for later (False). Damage drops it (True)."""
        store = self._connect()
        if store is None:
            return False
        try:
            if batch:
                store.write(batch)
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
            log.exception("history rows rejected by the database; %d operation(s) dropped", len(batch))
            return True
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                self._trouble("write", exc)
                return False
            log.warning("the history file %s is damaged (%s); starting a new one", self.path, exc)
            store.close()
            self.store, self._check_next = None, True
            self._on_damage()
            return True
        except OSError as exc:
            self._trouble("write", exc)
            return False
        if self._failing and batch:
            log.info("the history file can be written again; %d round(s) saved", self._rounds)
            self._failing = False
        self._prune_if_due(store)
        return True

    def _connect(self) -> HistoryStore | None:
        if self.store is not None:
            return self.store
        if self.disabled or not self.take_lock():
            return None
        try:
            # the first open checks every page (quick_check): damage inside the file is moved aside now
            check = self._check_next or not self._started_up
            store = HistoryStore.open(self.path, busy_timeout_s=self.busy_timeout_s, check=check)
        except (HistoryError, OSError) as exc:
            self._trouble("open", exc)
            return None
        if not self._started_up:
            try:
                store.recover()  # before our own session exists: only a dead traywatch's rows
            except sqlite3.Error as exc:
                store.close()
                self._trouble("tidy up", exc)
                return None
            self._prune(store)
            self._started_up = True
        self.store, self._check_next = store, False
        return store

    def _prune_if_due(self, store: HistoryStore) -> None:
        last = self._pruned_at
        if last is not None and (self.prune_soon or self._clock() - last > PRUNE_EVERY):
            self._prune(store)

    def _prune(self, store: HistoryStore) -> None:
        """Roll up and drop raw rounds older than the retention period."""
        self._pruned_at = self._clock()
        self.prune_soon = False
        try:
            store.prune(self.retention_days, self._pruned_at)
        except sqlite3.Error as exc:
            log.info("old rounds were not pruned this time: %s", exc)

    def _trouble(self, what: str, exc: BaseException) -> None:
        self._trouble_seen = f"cannot {what} it ({exc})"
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
