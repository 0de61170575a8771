"""The history file's schema: DDL, the version in `PRAGMA user_version`, and migrations that
back the file up before touching it."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from traywatch.core.history.records import HistoryError
from traywatch.i18n import Template, names

log = logging.getLogger(__name__)

Migration = Callable[[sqlite3.Connection], None]

FOREIGN = Template(
    "history.error.foreign",
    "{path} is not a traywatch history: it is another program's SQLite database (tables: {tables}), "
    "and traywatch leaves it as it is. Move it elsewhere, or set TRAYWATCH_HOME to another folder",
)
NEWER = Template(
    "history.error.newer",
    "the history file {path} was written by a newer traywatch (schema {found}, this version knows "
    "{known}); update traywatch or move the file away",
)
NO_BACKUP = Template("history.error.no_backup", "cannot back up {path} before upgrading it: {error}")

_V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE services (            -- every service ever seen, with the name shown at the time
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE TABLE summaries (           -- round sentences, stored once (most rounds say the same)
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE
);
CREATE TABLE sessions (            -- an interval during which traywatch was watching
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    started_at REAL NOT NULL,
    last_seen REAL NOT NULL,       -- the last round of the session (heartbeat)
    ended_at REAL,                 -- NULL while running, or after a crash until the next start
    end_reason TEXT,
    interval_s REAL NOT NULL
);
CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    at REAL NOT NULL,
    span_s REAL NOT NULL DEFAULT 0,  -- seconds this round's finding stands for (until the next one)
    verdict TEXT NOT NULL,
    internet TEXT NOT NULL,
    duration_ms INTEGER,
    summary_id INTEGER REFERENCES summaries(id)
);
CREATE INDEX rounds_at ON rounds(at);
CREATE TABLE round_services (
    round_id INTEGER NOT NULL,
    service_id INTEGER NOT NULL,
    state TEXT NOT NULL,
    layer TEXT,
    latency_ms INTEGER,
    PRIMARY KEY (round_id, service_id)
) WITHOUT ROWID;
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    session_id INTEGER REFERENCES sessions(id),
    kind TEXT NOT NULL,
    services TEXT NOT NULL,          -- JSON list of service ids
    started_at REAL NOT NULL,
    ended_at REAL,
    start_reason TEXT NOT NULL,
    end_reason TEXT,
    layer TEXT,
    cause TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX incidents_started ON incidents(started_at);
CREATE TABLE hourly (              -- seconds per UTC hour and element, kept after raw rounds go
    hour INTEGER NOT NULL,
    element TEXT NOT NULL,           -- a service id, or 'internet'
    up_s REAL NOT NULL DEFAULT 0,
    degraded_s REAL NOT NULL DEFAULT 0,
    down_s REAL NOT NULL DEFAULT 0,
    unknown_s REAL NOT NULL DEFAULT 0,
    internet_s REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, element)
) WITHOUT ROWID;
"""


# v2: Meta's own word. When Meta Status first showed a problem overlapping each incident, and
# every problem it showed (one row per organisation and episode). No semicolons in comments here.
_V2 = """
ALTER TABLE incidents ADD COLUMN acknowledged_at REAL;
ALTER TABLE incidents ADD COLUMN acknowledged_by TEXT;
CREATE TABLE official_events (     -- a problem Meta Status showed for one organisation
    id INTEGER PRIMARY KEY,
    org TEXT NOT NULL,               -- Meta Status organisation id (graph-api, fbs...)
    name TEXT NOT NULL,
    state TEXT NOT NULL,             -- minor, major or unknown (as last read)
    status TEXT NOT NULL,            -- Meta's own words, verbatim
    meta_since REAL,                 -- the time Meta gives for it
    first_seen REAL NOT NULL,        -- when traywatch first read it
    last_seen REAL NOT NULL,
    ended_at REAL                    -- when traywatch first read it gone (NULL: open or unknown)
);
CREATE INDEX official_events_seen ON official_events(first_seen);
"""


# v3: whether Meta Status could be read while each incident was open, so that an incident it never
# acknowledged is not called "not acknowledged" when Meta Status could not be read at all. New
# incidents start at 0 (not read yet). Older ones are NULL (not recorded).
_V3 = """
ALTER TABLE incidents ADD COLUMN official_read INTEGER DEFAULT 0;
UPDATE incidents SET official_read = NULL
"""


# v4: the forwarding outbox (core/forward/outbox.py). Alerts that could not yet reach every
# forwarding target wait here, across restarts, until delivered. targets: JSON list of the target
# keys still to reach. held: 1 while quiet hours keep it back.
_V4 = """
CREATE TABLE forward_outbox (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,                -- when the alert happened
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    services TEXT NOT NULL,          -- JSON list of service ids
    duration_s REAL,
    targets TEXT NOT NULL,
    held INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_try REAL,
    last_error TEXT,
    why TEXT                         -- internet (our own was down) or service (it refused)
);
CREATE INDEX forward_outbox_at ON forward_outbox(at)
"""


# v5: the code and parameters of every owner-facing sentence kept (JSON of Message.to_json()),
# beside its English text, so old incidents are said in today's language. NULL: plain text (rows
# from before v5, Meta's own words, a sentence without a code). The English columns are still
# written: older traywatch versions and exports read them.
_V5 = """
ALTER TABLE summaries ADD COLUMN message TEXT;
ALTER TABLE incidents ADD COLUMN cause_message TEXT;
ALTER TABLE incidents ADD COLUMN summary_message TEXT;
ALTER TABLE incidents ADD COLUMN acknowledged_by_message TEXT
"""


# v6: the forwarding outbox keeps the code and parameters of an alert's title and message and of
# the last delivery error too (as v5 did for incidents), so what waits is said in today's language.
_V6 = """
ALTER TABLE forward_outbox ADD COLUMN title_message TEXT;
ALTER TABLE forward_outbox ADD COLUMN message_message TEXT;
ALTER TABLE forward_outbox ADD COLUMN last_error_message TEXT
"""


def _run(conn: sqlite3.Connection, script: str) -> None:
    """Statement by statement: executescript() would commit the migration's transaction early."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    _run(conn, _V1)


def _v2(conn: sqlite3.Connection) -> None:
    _run(conn, _V2)


def _v3(conn: sqlite3.Connection) -> None:
    _run(conn, _V3)


def _v4(conn: sqlite3.Connection) -> None:
    _run(conn, _V4)


def _v5(conn: sqlite3.Connection) -> None:
    _run(conn, _V5)


def _v6(conn: sqlite3.Connection) -> None:
    _run(conn, _V6)


MIGRATIONS: tuple[Migration, ...] = (
    _v1,
    _v2,
    _v3,
    _v4,
    _v5,
    _v6,
)  # MIGRATIONS[i] takes version i to version i + 1


# The tables every version has: a file with a schema version but without them is not ours.
OWN_TABLES = frozenset(
    {"meta", "services", "summaries", "sessions", "rounds", "round_services", "incidents", "hourly"}
)


def refuse_foreign(conn: sqlite3.Connection, path: Path | str) -> None:
    """Another program's SQLite database where the history should be is left exactly as it is:
    a HistoryError naming it, raised before anything is written (not even the journal mode)."""
    tables = {
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    if not tables or (version_of(conn) > 0 and tables >= OWN_TABLES):
        return  # a new, empty file, or one of ours
    raise HistoryError(FOREIGN(path=str(path), tables=names(sorted(tables))))


def version_of(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the whole database (WAL included) next to it before a migration changes it."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{version}-backup-{stamp}")
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def migrate(
    conn: sqlite3.Connection, path: Path | None, migrations: Sequence[Migration] = MIGRATIONS
) -> Path | None:
    """Bring the file to the newest version; returns the backup made first (None for a new file).

    A file from a newer traywatch is refused rather than damaged. Each step runs in its own
    transaction together with the version bump, so a failed step leaves the previous version.
    """
    current, target = version_of(conn), len(migrations)
    if current > target:
        raise HistoryError(NEWER(path=str(path), found=current, known=target))
    if current == target:
        return None
    saved: Path | None = None
    if current > 0 and path is not None:
        try:
            saved = backup(conn, path, current)
        except (sqlite3.Error, OSError) as exc:
            raise HistoryError(NO_BACKUP(path=str(path), error=str(exc))) from exc
        log.info("backed up the history file to %s before upgrading it", saved)
    for version in range(current, target):
        conn.execute("BEGIN IMMEDIATE")
        if version_of(conn) > version:  # another connection (recorder, forwarder) took this step
            conn.execute("COMMIT")
            continue
        try:
            migrations[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        log.info("history file upgraded to schema %d", version + 1)
    return saved
