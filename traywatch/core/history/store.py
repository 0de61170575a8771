"""The history store: the API over the history file (its SQL lives here, in connection.py,
schema.py, queries.py and official_rows.py, nowhere else).

Writing: one transaction per batch of write operations; each round also extends the previous
round's span and adds those seconds to the hourly table. Start-up: crash recovery and retention.
Reading: incidents, honest uptime and timeline bands for any window, as frozen dataclasses.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from traywatch.core.history import messages, official_rows, queries
from traywatch.core.history import uptime as maths
from traywatch.core.history.connection import named_damage, open_connection
from traywatch.core.history.official_rows import OfficialEvent
from traywatch.core.history.records import (
    INTERNET,
    EndReason,
    Incident,
    IncidentAcknowledged,
    IncidentClosed,
    IncidentKind,
    IncidentOpened,
    IncidentServicesChanged,
    OfficialEventSeen,
    OfficialRead,
    RoundRecorded,
    SessionEnded,
    SessionStarted,
    WriteOp,
    to_ts,
)
from traywatch.core.history.schema import MIGRATIONS, Migration
from traywatch.core.history.uptime import Band, Step, WindowUptime
from traywatch.core.models import RoundResult, Verdict
from traywatch.i18n import Message

log = logging.getLogger(__name__)

_HOURLY_UPSERT = (
    "INSERT INTO hourly (hour, element, up_s, degraded_s, down_s, unknown_s, internet_s) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hour, element) DO UPDATE SET "
    "up_s = up_s + excluded.up_s, degraded_s = degraded_s + excluded.degraded_s, "
    "down_s = down_s + excluded.down_s, unknown_s = unknown_s + excluded.unknown_s, "
    "internet_s = internet_s + excluded.internet_s"
)


@dataclass(frozen=True)
class Recovery:
    """What start-up found left open by a traywatch that stopped unexpectedly."""

    sessions: int
    incidents: int


def internet_of(verdict: Verdict) -> str:
    if verdict is Verdict.INTERNET_DOWN:
        return "down"
    if verdict is Verdict.NETWORK_LIMITED:
        return "limited"
    return "up"


class HistoryStore:
    """A connection to the history file. Thread-safe (one lock); use open(), then close()."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self.moved_aside: Path | None = None  # where a damaged file went, when open() found one
        self.backup: Path | None = None  # the copy made before a migration
        self._lock = threading.RLock()
        self._ids: dict[tuple[str, str], int] = {}  # (table, key) -> row id; cleared on rollback

    # -- opening and closing -----------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: Path,
        *,
        busy_timeout_s: float = 10.0,
        check: bool = False,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> HistoryStore:
        """Open (creating) the file. A damaged file is moved aside and a fresh one started; that
        is logged and kept in `moved_aside`. Anything else that stops us is a HistoryError."""
        conn, moved, saved = open_connection(path, busy_timeout_s, check, migrations)
        store = cls(conn, path)
        store.moved_aside, store.backup = moved, saved
        return store

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._ids.clear()
                with contextlib.suppress(sqlite3.Error):  # the error may have rolled it back already
                    self._conn.execute("ROLLBACK")
                raise
            try:
                self._conn.execute("COMMIT")
            except BaseException:
                self._ids.clear()
                with contextlib.suppress(sqlite3.Error):
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                raise

    # -- writing -----------------------------------------------------------------------------
    def write(self, ops: Sequence[WriteOp]) -> None:
        """Apply write operations in order, all in one transaction (all or nothing)."""
        if not ops:
            return
        with self._transaction() as conn:
            for op in ops:
                if isinstance(op, RoundRecorded):
                    self._add_round(conn, op)
                elif isinstance(op, SessionStarted):
                    self._session_id(conn, op.key, to_ts(op.at), op.interval_s)
                elif isinstance(op, SessionEnded):
                    self._end_session(conn, op)
                elif isinstance(op, IncidentOpened):
                    self._open_incident(conn, op)
                elif isinstance(op, IncidentClosed):
                    conn.execute(
                        "UPDATE incidents SET ended_at = max(?, started_at), end_reason = ? "
                        "WHERE key = ? AND ended_at IS NULL",
                        (to_ts(op.at), op.reason.value, op.key),
                    )
                elif isinstance(op, IncidentServicesChanged):
                    conn.execute(
                        "UPDATE incidents SET services = ? WHERE key = ?", (json.dumps(op.services), op.key)
                    )
                elif isinstance(op, IncidentAcknowledged):
                    official_rows.acknowledge(conn, op)
                elif isinstance(op, OfficialRead):
                    official_rows.mark_read(conn, op)
                elif isinstance(op, OfficialEventSeen):
                    official_rows.event_seen(conn, op)
                else:
                    official_rows.event_ended(conn, op)

    def _cached(self, table: str, key: str) -> int | None:
        return self._ids.get((table, key))

    def _session_id(self, conn: sqlite3.Connection, key: str, at: float, interval_s: float = 60.0) -> int:
        found = self._cached("sessions", key)
        if found is None:
            row = conn.execute(
                "INSERT INTO sessions (key, started_at, last_seen, interval_s) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET key = key RETURNING id",
                (key, at, at, interval_s),
            ).fetchone()
            found = self._ids[("sessions", key)] = int(row[0])
        return found

    def _service_id(self, conn: sqlite3.Connection, key: str, name: str) -> int:
        found = self._cached("services", f"{key}\0{name}")
        if found is None:
            row = conn.execute(
                "INSERT INTO services (key, name) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET name = excluded.name RETURNING id",
                (key, name),
            ).fetchone()
            found = self._ids[("services", f"{key}\0{name}")] = int(row[0])
        return found

    def _summary_id(self, conn: sqlite3.Connection, text: str) -> int:
        found = self._cached("summaries", text)
        if found is None or (isinstance(text, Message) and ("coded", text) not in self._ids):
            found = messages.summary_row(conn, text)
            if len(self._ids) > 5000:
                self._ids.clear()
            self._ids[("summaries", text)] = found
            if isinstance(text, Message):
                self._ids[("coded", text)] = found  # its code is stored (a plain row gets it once)
        return found

    def _extend_last_round(
        self, conn: sqlite3.Connection, session: int, until: float, max_span: float
    ) -> None:
        """The session's latest round stands until `until` (capped): store it and credit the hours."""
        last = conn.execute(
            "SELECT id, at, internet, span_s FROM rounds WHERE session_id = ? ORDER BY id DESC LIMIT 1",
            (session,),
        ).fetchone()
        if last is None:
            return
        round_id, at, internet, old_span = last
        span = min(max(0.0, until - at), max_span, maths.MAX_SPAN_S)
        if span <= old_span:
            return
        conn.execute("UPDATE rounds SET span_s = ? WHERE id = ?", (span, round_id))
        states = conn.execute(
            "SELECT s.key, rs.state FROM round_services rs JOIN services s ON s.id = rs.service_id "
            "WHERE rs.round_id = ?",
            (round_id,),
        ).fetchall()
        credits = [(INTERNET, maths.internet_bucket(internet))]
        credits += [(key, maths.service_bucket(internet, state)) for key, state in states]
        rows = []
        for hour, seconds in maths.split_hours(at + old_span, span - old_span):
            for element, bucket in credits:
                values = [0.0] * maths.NBUCKETS
                values[bucket] = seconds
                rows.append((hour, element, *values))
        conn.executemany(_HOURLY_UPSERT, rows)

    def _add_round(self, conn: sqlite3.Connection, op: RoundRecorded) -> None:
        rnd: RoundResult = op.round
        at = to_ts(rnd.checked_at)
        session = self._session_id(conn, op.session_key, at)
        self._extend_last_round(conn, session, at, op.max_span_s)
        round_id = conn.execute(
            "INSERT INTO rounds (session_id, at, verdict, internet, duration_ms, summary_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                session,
                at,
                rnd.verdict.value,
                internet_of(rnd.verdict),
                round(rnd.duration_ms),
                self._summary_id(conn, rnd.summary),
            ),
        ).lastrowid
        conn.executemany(
            "INSERT OR REPLACE INTO round_services (round_id, service_id, state, layer, latency_ms) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (
                    round_id,
                    self._service_id(conn, s.id, s.name),
                    s.state.value,
                    s.failed_layer.value if s.failed_layer else None,
                    None if s.latency_ms is None else round(s.latency_ms),
                )
                for s in rnd.services
            ],
        )
        conn.execute("UPDATE sessions SET last_seen = max(last_seen, ?) WHERE id = ?", (at, session))

    def _end_session(self, conn: sqlite3.Connection, op: SessionEnded) -> None:
        at = to_ts(op.at)
        session = self._session_id(conn, op.key, at)
        self._extend_last_round(conn, session, at, op.max_span_s)
        conn.execute(
            "UPDATE sessions SET ended_at = max(?, started_at), end_reason = ? "
            "WHERE id = ? AND ended_at IS NULL",
            (at, op.reason.value, session),
        )

    def _open_incident(self, conn: sqlite3.Connection, op: IncidentOpened) -> None:
        inc = op.incident
        messages.insert_incident(conn, self._session_id(conn, op.session_key, to_ts(inc.started_at)), inc)

    # -- start-up maintenance ----------------------------------------------------------------
    def recover(self) -> Recovery:
        """Close what a traywatch that died left open, at the last round it saw, marked so.
        Call only while holding the recorder lock (no other process is recording)."""
        with self._transaction() as conn:
            stale = [int(r[0]) for r in conn.execute("SELECT id FROM sessions WHERE ended_at IS NULL")]
            died = EndReason.APP_DIED.value
            incidents = conn.execute(
                "UPDATE incidents SET end_reason = ?, ended_at = max(started_at, coalesce("
                "(SELECT last_seen FROM sessions WHERE sessions.id = incidents.session_id), started_at)) "
                "WHERE ended_at IS NULL",
                (died,),
            ).rowcount
            conn.execute(
                "UPDATE sessions SET ended_at = max(last_seen, started_at), end_reason = ? "
                "WHERE ended_at IS NULL",
                (died,),
            )
            official_rows.close_left_open(conn)
        if stale or incidents:
            log.info("closed %d session(s) and %d incident(s) left open by a crash", len(stale), incidents)
        return Recovery(len(stale), incidents)

    def prune(self, retention_days: int, now: datetime) -> int:
        """Delete raw rounds older than the retention (the hourly table keeps their seconds);
        returns how many rounds went. Freed pages go back to the file system."""
        cutoff = to_ts(now) - retention_days * maths.DAY
        with self._transaction() as conn:
            conn.execute(
                "DELETE FROM round_services WHERE round_id IN (SELECT id FROM rounds WHERE at < ?)", (cutoff,)
            )
            removed = conn.execute("DELETE FROM rounds WHERE at < ?", (cutoff,)).rowcount
            if removed:
                conn.execute(
                    "DELETE FROM summaries WHERE id NOT IN "
                    "(SELECT DISTINCT summary_id FROM rounds WHERE summary_id IS NOT NULL)"
                )
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('raw_pruned_before', ?) ON CONFLICT (key) DO UPDATE "
                "SET value = max(CAST(value AS REAL), CAST(excluded.value AS REAL))",
                (str(cutoff),),
            )
        if removed:
            with self._lock:
                # executescript steps the pragma to the end (execute() frees a single page)
                self._conn.executescript("PRAGMA incremental_vacuum;")
            log.info("removed %d rounds older than %d days (hourly totals kept)", removed, retention_days)
        return removed

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file (for size measurements and backups)."""
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- reading -----------------------------------------------------------------------------
    def service_names(self) -> dict[str, str]:
        """Every service ever recorded: id -> the name last seen, in first-seen order."""
        with self._lock, named_damage(self.path):
            return queries.service_names(self._conn)

    def last_round_at(self) -> datetime | None:
        with self._lock, named_damage(self.path):
            return queries.last_round_at(self._conn)

    def incidents(
        self,
        since: datetime,
        until: datetime,
        *,
        service: str | None = None,
        kinds: Collection[IncidentKind] | None = None,
    ) -> tuple[Incident, ...]:
        """Incidents overlapping [since, until), oldest first. `service` keeps those naming it
        (its own incidents and the Meta-wide ones it was part of); `kinds` filters by kind."""
        with self._lock, named_damage(self.path):
            return queries.incidents(self._conn, since, until, service, kinds)

    def official_events(self, since: datetime, until: datetime) -> tuple[OfficialEvent, ...]:
        """Problems Meta Status showed during [since, until), oldest first."""
        with self._lock, named_damage(self.path):
            return official_rows.events(self._conn, since, until)

    def uptime(self, since: datetime, until: datetime, services: Sequence[str] | None = None) -> WindowUptime:
        """Honest uptime per service over [since, until) (see uptime.py), exact to the second."""
        with self._lock, named_damage(self.path):
            return queries.uptime(self._conn, since, until, services)

    def bands(
        self, since: datetime, until: datetime, step: Step = "day", elements: Sequence[str] | None = None
    ) -> tuple[Band, ...]:
        """Timeline bins (UTC hours or local days) per element: 'internet' first, then services."""
        with self._lock, named_damage(self.path):
            return queries.bands(self._conn, since, until, step, elements)
