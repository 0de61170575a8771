"""Reading the history never changes the file: a missing file reads as empty, an older schema is
upgraded in memory, what a dead traywatch left open is closed in the view only (and left alone
while a traywatch is recording). Real SQLite files."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from tests.unit.history.synthetic import T0, died_while_instagram_was_down
from traywatch.core.history import EndReason
from traywatch.core.history.lock import RecorderLock
from traywatch.core.history.reading import open_for_reading
from traywatch.core.history.schema import MIGRATIONS, migrate

WINDOW = (T0 - timedelta(hours=1), T0 + timedelta(hours=6))


def raw(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_missing_history_reads_as_empty_and_nothing_is_created(tmp_path: Path) -> None:
    path = tmp_path / "data" / "history.sqlite3"
    with open_for_reading(path) as store:
        assert store.incidents(*WINDOW) == ()
        assert store.uptime(*WINDOW).internet.up_s == 0
    assert not (tmp_path / "data").exists()


def test_what_a_dead_traywatch_left_open_is_closed_in_the_view_only(db_path: Path) -> None:
    died_while_instagram_was_down(db_path)
    with open_for_reading(db_path) as store:
        (inc,) = store.incidents(*WINDOW)
    assert inc.end_reason is EndReason.APP_DIED and inc.ended_at == T0 + timedelta(minutes=8)
    assert raw(db_path, "SELECT ended_at FROM sessions") == [(None,)]  # the file is untouched


def test_a_recording_traywatch_keeps_its_incident_going_on(db_path: Path) -> None:
    died_while_instagram_was_down(db_path)
    running = RecorderLock(db_path.with_name(db_path.name + ".lock"))
    assert running.acquire()  # as a traywatch recording right now would hold it
    try:
        with open_for_reading(db_path) as store:
            (inc,) = store.incidents(*WINDOW)
    finally:
        running.release()
    assert inc.ongoing


def test_an_older_schema_is_read_through_an_upgrade_in_memory(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    migrate(conn, None, MIGRATIONS[:1])  # a file from the first traywatch
    conn.close()
    with open_for_reading(db_path) as store:
        assert store.incidents(*WINDOW) == ()
    assert raw(db_path, "PRAGMA user_version") == [(1,)]
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]  # no backup made
