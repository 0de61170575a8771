"""The history's SQL for Meta's own word: acknowledgements of incidents and Meta Status episodes.

Only HistoryStore calls these, inside its transactions / under its lock.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from traywatch.core.history.messages import to_column
from traywatch.core.history.records import (
    IncidentAcknowledged,
    OfficialEventEnded,
    OfficialEventSeen,
    OfficialRead,
    from_ts,
    to_ts,
)


@dataclass(frozen=True)
class OfficialEvent:
    """One problem Meta Status showed for one organisation, as recorded."""

    org: str
    name: str
    state: str
    status: str
    meta_since: datetime | None
    first_seen: datetime
    last_seen: datetime
    ended_at: datetime | None


def acknowledge(conn: sqlite3.Connection, op: IncidentAcknowledged) -> None:
    conn.execute(
        "UPDATE incidents SET acknowledged_at = ?, acknowledged_by = ?, acknowledged_by_message = ? "
        "WHERE key = ? AND acknowledged_at IS NULL",
        (to_ts(op.at), str(op.by), to_column(op.by), op.key),
    )


def mark_read(conn: sqlite3.Connection, op: OfficialRead) -> None:
    conn.execute("UPDATE incidents SET official_read = 1 WHERE key = ?", (op.key,))


def event_seen(conn: sqlite3.Connection, op: OfficialEventSeen) -> None:
    at = to_ts(op.at)
    since = None if op.meta_since is None else to_ts(op.meta_since)
    row = conn.execute(
        "SELECT id FROM official_events WHERE org = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1",
        (op.org,),
    ).fetchone()
    if row is None:
        conn.execute(
            "INSERT INTO official_events (org, name, state, status, meta_since, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (op.org, op.name, op.state, op.status, since, at, at),
        )
        return
    conn.execute(
        "UPDATE official_events SET name = ?, state = ?, status = ?, meta_since = coalesce(meta_since, ?), "
        "last_seen = max(last_seen, ?) WHERE id = ?",
        (op.name, op.state, op.status, since, at, row[0]),
    )


def event_ended(conn: sqlite3.Connection, op: OfficialEventEnded) -> None:
    conn.execute(
        "UPDATE official_events SET ended_at = max(?, last_seen) WHERE org = ? AND ended_at IS NULL",
        (to_ts(op.at), op.org),
    )


def close_left_open(conn: sqlite3.Connection) -> int:
    """After a crash: episodes left open end at the last time they were read."""
    return conn.execute("UPDATE official_events SET ended_at = last_seen WHERE ended_at IS NULL").rowcount


def events(conn: sqlite3.Connection, since: datetime, until: datetime) -> tuple[OfficialEvent, ...]:
    """Episodes overlapping [since, until), oldest first."""
    rows = conn.execute(
        "SELECT org, name, state, status, meta_since, first_seen, last_seen, ended_at FROM official_events "
        "WHERE first_seen < ? AND coalesce(ended_at, last_seen) >= ? ORDER BY first_seen, id",
        (to_ts(until), to_ts(since)),
    ).fetchall()
    return tuple(
        OfficialEvent(
            org,
            name,
            state,
            status,
            None if meta_since is None else from_ts(meta_since),
            from_ts(first),
            from_ts(last),
            None if ended is None else from_ts(ended),
        )
        for org, name, state, status, meta_since, first, last, ended in rows
    )
