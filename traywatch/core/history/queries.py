"""Read queries of the history file: incidents, honest uptime and timeline bands for a window.

Only HistoryStore calls these (under its lock); the maths lives in uptime.py.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from datetime import datetime

from traywatch.core.history import uptime as maths
from traywatch.core.history.messages import from_column
from traywatch.core.history.records import (
    INTERNET,
    EndReason,
    Incident,
    IncidentKind,
    StartReason,
    from_ts,
    to_ts,
)
from traywatch.core.history.uptime import Band, Step, WindowUptime

Totals = dict[str, list[float]]


def service_names(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, name FROM services ORDER BY id").fetchall())


def last_round_at(conn: sqlite3.Connection) -> datetime | None:
    row = conn.execute("SELECT max(at) FROM rounds").fetchone()
    return None if row[0] is None else from_ts(row[0])


def pruned_before(conn: sqlite3.Connection) -> float:
    """Raw rounds before this moment were removed (only the hourly table remembers them)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'raw_pruned_before'").fetchone()
    return float(row[0]) if row else float("-inf")


def incidents(
    conn: sqlite3.Connection,
    since: datetime,
    until: datetime,
    service: str | None = None,
    kinds: Collection[IncidentKind] | None = None,
) -> tuple[Incident, ...]:
    rows = conn.execute(
        "SELECT key, kind, services, started_at, ended_at, cause, summary, layer, start_reason, "
        "end_reason, acknowledged_at, acknowledged_by, official_read, cause_message, summary_message, "
        "acknowledged_by_message FROM incidents "
        "WHERE started_at < ? AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at, id",
        (to_ts(until), to_ts(since)),
    ).fetchall()
    out = []
    for row in rows:
        key, kind, services, start, end, cause, summary, layer, start_reason, end_reason, ack, by, read = row[
            :13
        ]
        cause_json, summary_json, by_json = row[13:]
        inc = Incident(
            key=key,
            kind=IncidentKind(kind),
            services=tuple(json.loads(services)),
            started_at=from_ts(start),
            ended_at=None if end is None else from_ts(end),
            cause=from_column(cause, cause_json),
            summary=from_column(summary, summary_json),
            layer=layer,
            start_reason=StartReason(start_reason),
            end_reason=None if end_reason is None else EndReason(end_reason),
            acknowledged_at=None if ack is None else from_ts(ack),
            acknowledged_by=None if by is None else from_column(by, by_json),
            official_read=None if read is None else bool(read),
        )
        if kinds is not None and inc.kind not in kinds:
            continue
        if service is not None and service not in inc.services:
            continue
        out.append(inc)
    return tuple(out)


def uptime(
    conn: sqlite3.Connection, since: datetime, until: datetime, services: Sequence[str] | None
) -> WindowUptime:
    """Whole hours from the hourly table; the partial hours at both ends from raw rounds."""
    lo = to_ts(since)
    hi = max(lo, to_ts(until))
    names = service_names(conn)
    wanted = list(services) if services is not None else list(names)
    totals: Totals = {}
    head, hours, tail = maths.hour_pieces(lo, hi)
    if hours is not None:
        for element, *values in conn.execute(
            "SELECT element, sum(up_s), sum(degraded_s), sum(down_s), sum(unknown_s), sum(internet_s) "
            "FROM hourly WHERE hour >= ? AND hour < ? GROUP BY element",
            hours,
        ):
            _add(totals, element, values)
    for piece_lo, piece_hi in (head, tail):
        if piece_hi > piece_lo:
            _edge(conn, totals, piece_lo, piece_hi)
    return maths.make_window_uptime(lo, hi, totals, wanted, names)


def _edge(conn: sqlite3.Connection, totals: Totals, lo: float, hi: float) -> None:
    """Seconds inside a part of one hour: from raw rounds, or pro rata once they are pruned."""
    hour = int(lo // maths.HOUR) * maths.HOUR
    if hour < pruned_before(conn):
        share = (hi - lo) / maths.HOUR
        for element, *values in conn.execute(
            "SELECT element, up_s, degraded_s, down_s, unknown_s, internet_s FROM hourly WHERE hour = ?",
            (hour,),
        ):
            _add(totals, element, [v * share for v in values])
        return
    window = (lo - maths.MAX_SPAN_S, hi)
    for at, span, internet in conn.execute(
        "SELECT at, span_s, internet FROM rounds WHERE at >= ? AND at < ? AND span_s > 0", window
    ):
        seconds = maths.overlap(at, span, lo, hi)
        if seconds:
            _credit(totals, INTERNET, maths.internet_bucket(internet), seconds)
    for at, span, internet, key, state in conn.execute(
        "SELECT r.at, r.span_s, r.internet, s.key, rs.state FROM rounds r "
        "JOIN round_services rs ON rs.round_id = r.id JOIN services s ON s.id = rs.service_id "
        "WHERE r.at >= ? AND r.at < ? AND r.span_s > 0",
        window,
    ):
        seconds = maths.overlap(at, span, lo, hi)
        if seconds:
            _credit(totals, key, maths.service_bucket(internet, state), seconds)


def bands(
    conn: sqlite3.Connection, since: datetime, until: datetime, step: Step, elements: Sequence[str] | None
) -> tuple[Band, ...]:
    """Hourly rows summed into bins by SQLite itself (a year of days in one pass over the index)."""
    lo, hi = to_ts(since), to_ts(until)
    edges = maths.bin_edges(lo, hi, step)
    wanted = list(elements) if elements is not None else [INTERNET, *service_names(conn)]
    rows = conn.execute(
        "WITH edge(i, lo) AS (SELECT CAST(key AS INTEGER), value FROM json_each(?)), "
        "bin(i, lo, hi) AS (SELECT i, lo, lead(lo) OVER (ORDER BY i) FROM edge) "
        "SELECT bin.i, h.element, sum(h.up_s), sum(h.degraded_s), sum(h.down_s), sum(h.unknown_s), "
        "sum(h.internet_s) FROM bin JOIN hourly h ON h.hour >= bin.lo AND h.hour < bin.hi "
        "GROUP BY bin.i, h.element",
        (json.dumps(edges),),
    ).fetchall()
    return maths.make_bands(rows, edges, wanted, hi)


def _add(totals: Totals, element: str, values: Sequence[float]) -> None:
    acc = totals.setdefault(element, [0.0] * maths.NBUCKETS)
    for i, value in enumerate(values):
        acc[i] += value or 0.0


def _credit(totals: Totals, element: str, bucket: int, seconds: float) -> None:
    totals.setdefault(element, [0.0] * maths.NBUCKETS)[bucket] += seconds
