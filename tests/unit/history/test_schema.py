"""Schema versions: a new file gets the current one; an older file is backed up, then migrated;
a file from a newer traywatch is refused untouched; a failed step leaves the old version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.unit.history.synthetic import T0, make_round
from traywatch.core.history import HistoryError, HistoryStore
from traywatch.core.history.records import RoundRecorded, SessionStarted
from traywatch.core.history.schema import MIGRATIONS, version_of


def _next_add_note(conn: sqlite3.Connection) -> None:
    """A hypothetical next migration, as a later release would add it."""
    conn.execute("ALTER TABLE incidents ADD COLUMN note TEXT")


def _current_file(path: Path) -> None:
    with HistoryStore.open(path) as store:
        store.write([SessionStarted("s", T0, 60), RoundRecorded("s", make_round(T0), 180)])


def test_a_new_file_gets_the_current_version_without_a_backup(db_path: Path) -> None:
    with HistoryStore.open(db_path) as store:
        assert version_of(store._conn) == len(MIGRATIONS)
        assert store.backup is None
    assert [p.name for p in db_path.parent.iterdir() if "backup" in p.name] == []


def test_an_older_file_is_backed_up_before_it_is_migrated(db_path: Path) -> None:
    _current_file(db_path)
    with HistoryStore.open(db_path, migrations=(*MIGRATIONS, _next_add_note)) as store:
        assert version_of(store._conn) == len(MIGRATIONS) + 1
        columns = [r[1] for r in store._conn.execute("PRAGMA table_info(incidents)")]
        assert "note" in columns
        backup = store.backup
        assert store._conn.execute("SELECT count(*) FROM rounds").fetchone()[0] == 1
    assert (
        backup is not None
        and backup.exists()
        and backup.name.startswith(f"history.sqlite3.v{len(MIGRATIONS)}-backup-")
    )
    saved = sqlite3.connect(backup)
    try:
        assert version_of(saved) == len(MIGRATIONS)
        assert saved.execute("SELECT count(*) FROM rounds").fetchone()[0] == 1  # the data, before
        assert "note" not in [r[1] for r in saved.execute("PRAGMA table_info(incidents)")]
    finally:
        saved.close()


def test_a_file_from_a_newer_traywatch_is_refused_and_left_alone(db_path: Path) -> None:
    _current_file(db_path)
    with HistoryStore.open(db_path, migrations=(*MIGRATIONS, _next_add_note)):
        pass
    with pytest.raises(HistoryError, match="newer traywatch"):
        HistoryStore.open(db_path)
    check = sqlite3.connect(db_path)
    assert version_of(check) == len(MIGRATIONS) + 1
    check.close()


def test_a_failed_migration_step_leaves_the_previous_version(db_path: Path) -> None:
    _current_file(db_path)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE incidents ADD COLUMN half_done TEXT")
        conn.execute("THIS IS NOT SQL")

    with pytest.raises(HistoryError):
        HistoryStore.open(db_path, migrations=(*MIGRATIONS, broken))
    with HistoryStore.open(db_path) as store:
        assert version_of(store._conn) == len(MIGRATIONS)
        assert "half_done" not in [r[1] for r in store._conn.execute("PRAGMA table_info(incidents)")]
