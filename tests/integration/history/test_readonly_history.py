"""`traywatch history` and `report` read a history they cannot write: a 0444 file, a read-only
folder, a really full disk (a tiny tmpfs). They never write to it, and never leave behind a
read-only `-shm` that would stop the next recorder (real files, real processes)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.integration.history.hostile import (
    OBEY_PERMISSIONS,
    ROOT,
    fill,
    history_file,
    run_cli,
    skip_unless_permissions_can_be_obeyed,
    tiny_tmpfs,
)
from tests.unit.history.synthetic import Driver
from traywatch.core.history import Recorder

WRITE_A_ROUND = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from traywatch.core.history import HistoryStore
from traywatch.core.history.records import SessionStarted
with HistoryStore.open(Path(sys.argv[1])) as store:
    store.write([SessionStarted("later writer", datetime.now(UTC), 60)])
print("written")
"""


def obeying_permissions(script: str, db: Path) -> subprocess.CompletedProcess[str]:
    """A Python script run on the history file as a user that file permissions apply to."""
    return subprocess.run(
        [*OBEY_PERMISSIONS, sys.executable, "-c", script, str(db)],
        env={"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def record(db: Path) -> None:
    """Half an hour recorded by the real recorder, Instagram down for ten minutes of it."""
    driver = Driver(start=datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1))
    with Recorder(db, interval_s=60, clock=driver.clock) as rec:
        driver.listeners.append(rec)
        driver.rounds(10)
        driver.rounds(10, down=["instagram"])
        driver.rounds(10)


def assert_history_read(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    ig = next(u for u in data["uptime"] if u["id"] == "instagram")
    assert ig["down_s"] == 600
    assert [i["kind"] for i in data["incidents"]] == ["service"]


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_history_is_read_and_a_later_writer_still_works(
    traywatch_home: Path, tmp_path: Path, read_only: str
) -> None:
    skip_unless_permissions_can_be_obeyed()
    db = history_file(traywatch_home)
    record(db)
    db.chmod(0o444)
    if read_only == "folder":
        db.parent.chmod(0o555)
    try:
        assert_history_read(run_cli(["history", "--json"], traywatch_home, obey_permissions=True))
        report = tmp_path / "report.html"
        done = run_cli(["report", "--out", str(report)], traywatch_home, obey_permissions=True)
        assert done.returncode == 0, done.stderr
        assert "Instagram" in report.read_text("utf-8")
        for side in (db.with_name(db.name + "-shm"), db.with_name(db.name + "-wal")):
            assert not side.exists() or side.stat().st_mode & 0o200, f"{side.name} left read-only"
    finally:
        db.parent.chmod(0o700)
        db.chmod(0o600)
    # the owner makes it writable again: a writer (one that obeys permissions too) can write
    done = obeying_permissions(WRITE_A_ROUND, db)
    assert done.returncode == 0 and "written" in done.stdout, done.stderr


def test_history_and_report_on_a_full_disk(tmp_path: Path) -> None:
    with tiny_tmpfs(tmp_path / "disk", size="2m") as disk:
        home = disk / "home"
        record(history_file(home))
        filler = fill(disk)
        try:
            assert_history_read(run_cli(["history", "--json"], home))
            report = tmp_path / "report.html"  # the report itself goes to a disk with room
            done = run_cli(["report", "--out", str(report)], home)
            assert done.returncode == 0, done.stderr
            assert "Instagram" in report.read_text("utf-8")
        finally:
            filler.unlink()


OLD_READER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])  # read-write asked: SQLite falls back to read-only on a 0444 file
conn.execute("SELECT count(*) FROM rounds").fetchone()
conn.close()
"""


def test_a_read_only_shm_left_by_an_older_reader_does_not_stop_the_next_writer(
    traywatch_home: Path,
) -> None:
    skip_unless_permissions_can_be_obeyed()
    db = history_file(traywatch_home)
    record(db)
    db.chmod(0o444)
    shm = db.with_name(db.name + "-shm")
    for script in (OLD_READER, WRITE_A_ROUND):
        if script is WRITE_A_ROUND:
            assert shm.exists() and not shm.stat().st_mode & 0o222  # what older readers left
            db.chmod(0o600)  # the owner makes the file writable again
        done = obeying_permissions(script, db)
        assert done.returncode == 0, done.stderr
    assert "written" in done.stdout
