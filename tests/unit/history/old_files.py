"""History files as older traywatch versions wrote them: their schema (the migrations up to that
version) and rows inserted with the SQL those versions used, English text only. Today's writer
cannot stand in for an old one: it writes columns the old schema does not have."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from traywatch.core.history.records import to_ts
from traywatch.core.history.schema import MIGRATIONS, migrate

CAUSE = "answered with an error (HTTP): answered with a server error (HTTP 503)"
SUMMARY = "Graph API is down for everyone right now — not your internet."
ACK_BY = "Graph API: Major disruptions"


def make_old_file(path: Path, version: int, start: datetime, *, acknowledged: bool = False) -> None:
    """A file at schema `version` with one session of ten one-minute rounds (Graph API down from
    the third), its incident closed at the eighth, and its round summary."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        migrate(conn, None, MIGRATIONS[:version])
        t0 = to_ts(start)
        conn.execute("BEGIN")
        conn.execute("INSERT INTO services (id, key, name) VALUES (1, 'graph_api', 'Graph API')")
        conn.execute("INSERT INTO summaries (id, text) VALUES (1, 'Everything works.'), (2, ?)", (SUMMARY,))
        conn.execute(
            "INSERT INTO sessions (id, key, started_at, last_seen, ended_at, end_reason, interval_s) "
            "VALUES (1, 's1', ?, ?, ?, 'app_stopped', 60)",
            (t0, t0 + 540, t0 + 600),
        )
        for i in range(10):
            down = 2 <= i < 8
            conn.execute(
                "INSERT INTO rounds (id, session_id, at, span_s, verdict, internet, duration_ms, summary_id) "
                "VALUES (?, 1, ?, 60, ?, 'up', 900, ?)",
                (i + 1, t0 + 60 * i, "service_down" if down else "all_ok", 2 if down else 1),
            )
            conn.execute(
                "INSERT INTO round_services (round_id, service_id, state, layer, latency_ms) "
                "VALUES (?, 1, ?, ?, 50)",
                (i + 1, "down" if down else "up", "http" if down else None),
            )
        conn.execute(
            "INSERT INTO incidents (key, session_id, kind, services, started_at, ended_at, start_reason, "
            "end_reason, layer, cause, summary) VALUES ('old1', 1, 'service', ?, ?, ?, 'seen', 'recovered', "
            "'http', ?, ?)",
            (json.dumps(["graph_api"]), t0 + 120, t0 + 480, CAUSE, SUMMARY),
        )
        if acknowledged and version >= 2:
            ack = to_ts(start + timedelta(minutes=5))
            conn.execute(
                "UPDATE incidents SET acknowledged_at = ?, acknowledged_by = ? WHERE key = 'old1'",
                (ack, ACK_BY),
            )
        if version >= 3:
            conn.execute("UPDATE incidents SET official_read = 1 WHERE key = 'old1'")
        conn.execute("COMMIT")
    finally:
        conn.close()
