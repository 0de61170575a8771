"""Opening the history file for writing: WAL, a busy timeout, a damaged file moved aside,
migrations, owner-only files (readers open it in `reading`, never through here).

Another process writing is waited for (busy timeout), never crashed on. A file that is not a
database, or is damaged, is renamed with a timestamp and a fresh one is created; the user is told
where the old one went. Everything that still stops us is a HistoryError with a plain message.
The file and its -wal/-shm are the owner's alone (0600, folder 0700); the read-only -wal/-shm
that an older traywatch's reader left next to a 0444 file are made writable again, so that they
cannot stop us once the file is writable.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from traywatch.core.history.records import HistoryError
from traywatch.core.history.schema import MIGRATIONS, Migration, migrate, refuse_foreign
from traywatch.core.private_files import create_private, make_private, private_folder
from traywatch.i18n import Template

log = logging.getLogger(__name__)

_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


def is_corruption(exc: sqlite3.Error) -> bool:
    """A damaged or foreign file (as opposed to a busy, full or read-only one)."""
    if isinstance(exc, sqlite3.OperationalError | sqlite3.IntegrityError | sqlite3.ProgrammingError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPT_CODES
    return isinstance(exc, sqlite3.DatabaseError)


DAMAGED = Template(
    "history.error.damaged",
    "the history file {path} is damaged ({error}). The next time traywatch starts recording (the "
    "tray app or `traywatch watch`), it moves the damaged file aside, next to it, and starts a new "
    "history; or move it away yourself (or put a backup in its place)",
)
ODD_ROW = Template(
    "history.error.odd_row",
    "the history file {path} is damaged (a row holds what traywatch never writes: {error}). Move it "
    "away while traywatch is closed (a new history is then started) or put a backup in its place",
)
NO_FOLDER = Template(
    "history.error.no_folder", "cannot create the folder for the history file {path}: {error}"
)
CANNOT_OPEN = Template("history.error.cannot_open", "cannot open the history file {path}: {error}")


@contextmanager
def named_damage(path: Path) -> Iterator[None]:
    """Reading: damage found inside the file becomes a HistoryError naming it and saying what to
    do (readers leave the file alone; the recorder moves it aside when it next starts). Damage is
    SQLite's own finding, or a row holding what no traywatch writes (an unknown kind, a date past
    the calendar, text where a list belongs): that surfaces as ValueError/TypeError/OverflowError
    while the row is read back."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        if not is_corruption(exc):
            raise
        raise HistoryError(DAMAGED(path=str(path), error=str(exc))) from exc
    except (ValueError, TypeError, OverflowError) as exc:
        # SQLite finds nothing wrong here, so recording goes on in this file: the owner decides
        log.debug("a row of %s cannot be read back", path, exc_info=True)
        raise HistoryError(ODD_ROW(path=str(path), error=str(exc))) from exc


def move_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    path.replace(target)
    for suffix in SIDECARS:
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target


SIDECARS = ("-wal", "-shm")


def _prepare(path: Path) -> None:
    """Create the file owner-only before SQLite does (its -wal/-shm copy the file's mode), and
    take rights away from others on an existing one and its sidecars."""
    create_private(path)
    for file in (path, *(path.with_name(path.name + s) for s in SIDECARS)):
        make_private(file)
    for side in (path.with_name(path.name + s) for s in SIDECARS):
        try:  # left 0444 by an older reader of a 0444 file: every writer would fail on them
            if side.exists() and not os.access(side, os.W_OK) and side.stat().st_uid == os.geteuid():
                side.chmod(0o600)
                log.info("made %s writable again", side)
        except OSError as exc:
            log.debug("could not check %s: %s", side, exc)


# Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's too.
# The history is open twice in one process (the recorder, the forwarder's outbox): were a second
# opening to open and close the file itself, the first connection's locks would be gone, another
# program reading the history would take itself for the last one and delete the WAL still being
# written to (every later write lost). So the file is only ever created, never opened, outside
# SQLite (create_private), and one thread at a time creates and connects: a connection made
# while another thread holds the new file's descriptor open would lose its locks on that close.
_OPENING = threading.Lock()


def _connect(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    with _OPENING:
        _prepare(path)
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False)
    try:
        refuse_foreign(conn, path)  # before the first write
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # takes effect on a new, empty file only
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _quick_check(conn: sqlite3.Connection) -> None:
    """Read every page (slow on big files: only after a write reported damage)."""
    try:
        row = conn.execute("PRAGMA quick_check(1)").fetchone()
        if row[0] != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed: {row[0]}")
    except BaseException:
        conn.close()
        raise


def open_connection(
    path: Path, busy_timeout_s: float, check: bool = False, migrations: Sequence[Migration] = MIGRATIONS
) -> tuple[sqlite3.Connection, Path | None, Path | None]:
    """(connection, where a damaged file was moved, the backup made before migrating)."""
    try:
        private_folder(path.parent)
    except OSError as exc:
        raise HistoryError(NO_FOLDER(path=str(path), error=str(exc))) from exc
    moved = None
    try:
        try:
            conn = _connect(path, busy_timeout_s)
            if check:
                _quick_check(conn)
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                raise
            moved = move_aside(path)
            log.warning(
                "The history file %s was damaged (%s). It was moved to %s and a new, empty history "
                "was started; nothing else was changed.",
                path,
                exc,
                moved,
            )
            conn = _connect(path, busy_timeout_s)
        try:
            saved = migrate(conn, path, migrations)
        except BaseException:
            conn.close()
            raise
    except (sqlite3.Error, OSError) as exc:
        raise HistoryError(CANNOT_OPEN(path=str(path), error=str(exc))) from exc
    return conn, moved, saved
