"""The recorder: a Watcher listener that turns MonitorUpdates into history rows.

Every round is written; incidents open and close on the monitor's *confirmed* transitions (a
one-round blip is not an incident), and are marked when Meta Status first confirms them. A
session is the interval traywatch was watching: it starts with the first round and ends at quit,
or at the last round before a gap of more than about three intervals (sleep, a hung machine), so
that gap counts as "not watching". When the file cannot be written (disk full, read-only folder,
locked too long) monitoring goes on: rows wait in memory (the last rounds, bounded), one warning
is logged, and they are written when the disk allows.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid
from collections import deque
from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

from traywatch.core import wording
from traywatch.core.history.acknowledge import AckTracker
from traywatch.core.history.connection import is_corruption
from traywatch.core.history.lock import RecorderLock
from traywatch.core.history.records import (
    INTERNET,
    EndReason,
    HistoryError,
    Incident,
    IncidentClosed,
    IncidentKind,
    IncidentOpened,
    IncidentServicesChanged,
    RoundRecorded,
    SessionEnded,
    SessionStarted,
    StartReason,
    WriteOp,
)
from traywatch.core.history.store import HistoryStore
from traywatch.core.models import Layer, RoundResult, ServiceResult, ServiceState, Verdict
from traywatch.core.monitor import MonitorUpdate, Transition, verdict_of

log = logging.getLogger(__name__)

META = "meta"  # key of the Meta-wide incident among the open ones
MAX_BUFFERED_ROUNDS = 4320  # three days of 60-second rounds (a few MB)
_LAYER_WORDS = {
    Layer.DNS: "address lookup failed (DNS)",
    Layer.TCP: "no connection could be made (TCP)",
    Layer.TLS: "the secure connection failed (TLS)",
    Layer.HTTP: "answered with an error (HTTP)",
    Layer.CONTENT: "answered with something other than the normal page (content)",
}
_NO_LAYER = "did not answer as it should"


def gap_for(interval_s: float) -> float:
    """Longest pause between rounds that still counts as watching (~3 intervals, 1 min slack)."""
    return max(3.0 * interval_s, interval_s + 60.0)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _slim(rnd: RoundResult) -> RoundResult:
    """The round without its probe evidence (what the store keeps), so the buffer stays small."""
    return replace(rnd, references=(), services=tuple(replace(s, probes=()) for s in rnd.services))


def _bad(element: str, state: str | None) -> bool:
    if element == INTERNET:
        return state in ("down", "limited")
    return state == ServiceState.DOWN.value


def _service_cause(svc: ServiceResult | None) -> str:
    if svc is None:
        return _NO_LAYER
    words = _LAYER_WORDS.get(svc.failed_layer, _NO_LAYER) if svc.failed_layer else _NO_LAYER
    return f"{words}: {svc.detail}" if svc.detail else words


def _meta_cause(rnd: RoundResult, down: Iterable[str]) -> tuple[str, str | None]:
    results = [s for s in (rnd.service(sid) for sid in down) if s is not None]
    layers = {s.failed_layer for s in results}
    if len(layers) == 1:
        layer = layers.pop()
        words = _LAYER_WORDS.get(layer, _NO_LAYER) if layer else _NO_LAYER
        return f"{wording.join_names([s.name for s in results])}: {words}", layer.value if layer else None
    parts = [f"{s.name} ({s.failed_layer.value if s.failed_layer else '?'})" for s in results]
    return "the services failed at different steps: " + ", ".join(parts), None


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
        self._confirmed: dict[str, str] = {}
        self._open: dict[str, str] = {}  # element (or META) -> incident key
        self._meta_services: tuple[str, ...] = ()
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
            at = self._last_at
            for sid in service_ids:
                self._confirmed.pop(sid, None)
                if at is not None:
                    self._close(ops, sid, at, EndReason.NOT_WATCHING)
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
        self._incidents(ops, update, new_session)
        ops.extend(self._acks.observe(rnd.official, self._open_services()))
        self._last_at = at
        self._enqueue(ops)
        self._flush()

    # -- incidents -----------------------------------------------------------------------------
    def _incidents(self, ops: list[WriteOp], update: MonitorUpdate, new_session: bool) -> None:
        rnd = update.snapshot.round
        changed = {t.element for t in update.transitions}
        for t in update.transitions:
            self._confirmed[t.element] = t.new
        if new_session:  # already bad when watching began or resumed: open as "already so"
            for element, state in self._confirmed.items():
                if element not in changed and _bad(element, state):
                    self._open_incident(ops, element, state, rnd.checked_at, StartReason.AT_START, rnd)
        for t in update.transitions:
            if _bad(t.element, t.old) and t.element in self._open:
                self._close(ops, t.element, t.at, EndReason.RECOVERED)
            if _bad(t.element, t.new):
                reason = StartReason.SEEN if t.old is not None else StartReason.AT_START
                self._open_incident(ops, t.element, t.new, t.at, reason, rnd)
        self._meta_wide(ops, update, new_session)

    def _open_services(self) -> dict[str, tuple[str, ...] | None]:
        """Open incident key -> its services (() Meta-wide, None our own connection)."""
        return {
            key: None if element == INTERNET else () if element == META else (element,)
            for element, key in self._open.items()
        }

    def _open_incident(
        self,
        ops: list[WriteOp],
        element: str,
        state: str,
        at: datetime,
        reason: StartReason,
        rnd: RoundResult,
    ) -> None:
        if element in self._open:
            return
        if element == INTERNET:
            kind = IncidentKind.INTERNET if state == "down" else IncidentKind.LIMITED
            services: tuple[str, ...] = ()
            cause, layer = rnd.internet.detail or rnd.summary, None
        else:
            svc = rnd.service(element)
            kind, services = IncidentKind.SERVICE, (element,)
            cause = _service_cause(svc)
            layer = svc.failed_layer.value if svc and svc.failed_layer else None
        self._start(ops, element, kind, services, at, reason, cause, layer, rnd.summary)

    def _start(
        self,
        ops: list[WriteOp],
        element: str,
        kind: IncidentKind,
        services: tuple[str, ...],
        at: datetime,
        reason: StartReason,
        cause: str,
        layer: str | None,
        summary: str,
    ) -> None:
        key = uuid.uuid4().hex
        self._open[element] = key
        incident = Incident(key, kind, services, at, None, cause, summary, layer, reason)
        ops.append(IncidentOpened(self._session or "", incident))

    def _close(self, ops: list[WriteOp], element: str, at: datetime, reason: EndReason) -> None:
        key = self._open.pop(element, None)
        if key is not None:
            ops.append(IncidentClosed(key, at, reason))

    def _meta_wide(self, ops: list[WriteOp], update: MonitorUpdate, new_session: bool) -> None:
        """A Meta-wide incident lasts while most services are confirmed down at once."""
        states = update.snapshot.confirmed_states
        down = tuple(sid for sid, s in states.items() if s is ServiceState.DOWN)
        meta_now = bool(states) and verdict_of(states) is Verdict.META_DOWN
        services = [t for t in update.transitions if t.element != INTERNET]
        rnd = update.snapshot.round
        if meta_now and META not in self._open:
            went_down = [t.at for t in services if t.new == ServiceState.DOWN.value]
            seen = bool(went_down) and not all(t.old is None for t in services)
            reason = StartReason.SEEN if seen else StartReason.AT_START
            cause, layer = _meta_cause(rnd, down)
            at = max(went_down, default=rnd.checked_at)
            self._start(ops, META, IncidentKind.META, down, at, reason, cause, layer, rnd.summary)
            self._meta_services = down
        elif meta_now:
            grown = tuple(dict.fromkeys((*self._meta_services, *down)))
            if grown != self._meta_services:
                self._meta_services = grown
                ops.append(IncidentServicesChanged(self._open[META], grown))
        elif META in self._open:
            recovered: list[Transition] = [t for t in services if t.old == ServiceState.DOWN.value]
            self._close(
                ops, META, max((t.at for t in recovered), default=rnd.checked_at), EndReason.RECOVERED
            )

    def _end_session(self, ops: list[WriteOp], at: datetime, reason: EndReason) -> None:
        """Close every open incident and the session itself at `at`."""
        for element in list(self._open):
            self._close(ops, element, at, reason)
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
            store = HistoryStore.open(self.path, busy_timeout_s=self.busy_timeout_s, check=self._check_next)
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
            self._open.clear()
        except OSError as exc:
            self._trouble("write", exc)
            return
        else:
            if self._failing:
                log.info("the history file can be written again; %d round(s) saved", self._buffered_rounds)
            self._failing = False
        self._ops.clear()
        self._buffered_rounds = 0
