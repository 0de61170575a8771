"""Opening the history only to read it (`traywatch history`, `report`): never a write to the file.

The file is opened `mode=ro`. SQLite still creates the -wal/-shm of a WAL file when they are
missing, with the file's own mode, so on a file we cannot write (a 0444 file, a read-only folder)
that would leave a read-only -shm behind that stops every later writer; and on a full disk it
cannot create them at all. Then, with no -shm present (so no traywatch is writing it and the
-wal is folded in), the file is opened `immutable=1`, which reads the file alone and creates
nothing. A file from an older traywatch is upgraded in a copy in memory, and what a traywatch
that died left open (when none is recording now) is closed in such a copy too: the file itself is
left for the recorder, which does both when it next starts.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

from traywatch.core.history.connection import SIDECARS, named_damage
from traywatch.core.history.lock import RecorderLock
from traywatch.core.history.records import HistoryError
from traywatch.core.history.schema import MIGRATIONS, migrate, refuse_foreign, version_of
from traywatch.core.history.store import HistoryStore
from traywatch.i18n import Template

__all__ = ["open_for_reading"]

log = logging.getLogger(__name__)

CANNOT_READ = Template("history.error.cannot_read", "cannot read the history file {path}: {error}")


def _uri(path: Path, options: str) -> str:
    return f"{path.resolve().as_uri()}?{options}"


def _try(uri: str, busy_timeout_s: float) -> sqlite3.Connection:
    conn = sqlite3.connect(
        uri, uri=True, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
    )
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _can_make_sidecars(path: Path) -> bool:
    """SQLite may create -wal/-shm here without leaving them unusable for a writer."""
    return os.access(path, os.R_OK | os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _unfolded(wal: Path) -> bool:
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def _read_only_connection(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    shm, wal = (path.with_name(path.name + s) for s in ("-shm", "-wal"))
    if shm.exists() or _can_make_sidecars(path):
        try:
            return _try(_uri(path, "mode=ro"), busy_timeout_s)
        except sqlite3.DatabaseError as exc:
            if _unfolded(wal) and RecorderLock(path.with_name(path.name + ".lock")).held_elsewhere():
                raise  # a traywatch is writing it: reading the file alone could catch it mid-way
            log.debug("reading %s without its -wal/-shm (%s)", path, exc)
    if _unfolded(wal):
        log.warning(
            "the newest rows of the history, still in %s, cannot be read from here; they are "
            "folded into the file the next time traywatch records it",
            wal,
        )
    return _try(_uri(path, "mode=ro&immutable=1"), busy_timeout_s)


def _in_memory(conn: sqlite3.Connection | None) -> sqlite3.Connection:
    """A private copy to change freely (an upgrade, crash left-overs closed), or a new history."""
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    if conn is not None:
        conn.backup(memory)
        conn.close()
    return memory


def _left_open(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sessions WHERE ended_at IS NULL LIMIT 1").fetchone() is not None


def open_for_reading(path: Path, busy_timeout_s: float = 10.0) -> HistoryStore:
    """The history at `path`, read-only (a missing file reads as an empty history). Damage is a
    HistoryError naming the file; the file is never changed, moved or created here."""
    if not path.exists() and not any(path.with_name(path.name + s).exists() for s in SIDECARS):
        memory = _in_memory(None)
        migrate(memory, None)
        return HistoryStore(memory, path)
    try:
        with named_damage(path):
            conn = _read_only_connection(path, busy_timeout_s)
            refuse_foreign(conn, path)  # another program's database is named, never read as ours
            current = version_of(conn)
            if current > len(MIGRATIONS):
                migrate(conn, path)  # refuses a file from a newer traywatch, naming it
            elif current < len(MIGRATIONS):
                conn = _in_memory(conn)  # an older (or empty) file: upgraded in memory only
                migrate(conn, None)
            lock = RecorderLock(path.with_name(path.name + ".lock"))
            if _left_open(conn) and not lock.held_elsewhere():
                store = HistoryStore(_in_memory(conn), path)
                store.recover()  # in the copy: what a traywatch that died left open ends at its last round
                return store
    except (sqlite3.Error, OSError) as exc:
        raise HistoryError(CANNOT_READ(path=str(path), error=str(exc))) from exc
    return HistoryStore(conn, path)
