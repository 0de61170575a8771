"""A real history file with a page overwritten in the middle (the header still reads fine):
`history` and `report` say which file is damaged and what to do, with no traceback; the recorder
finds the damage at start-up, moves the file aside (saying where) and starts a fresh one."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from tests.unit.history.synthetic import T0, Driver
from traywatch.cli import main
from traywatch.core.history import HistoryError, HistoryStore, Recorder
from traywatch.core.paths import app_paths

PAGE = 4096


def _damaged_history(path: Path) -> bytes:
    """A recorded file whose page 4 is overwritten (as `dd ... bs=4096 seek=3 count=1 conv=notrunc`)."""
    driver = Driver()
    with Recorder(path, interval_s=60, clock=driver.clock) as rec:
        driver.listeners.append(rec)
        driver.rounds(300, down=["instagram"])
    with HistoryStore.open(path) as store:
        store.checkpoint()
    data = bytearray(path.read_bytes())
    assert len(data) > 6 * PAGE
    data[3 * PAGE : 4 * PAGE] = bytes((i * 151 + 7) % 256 for i in range(PAGE))
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("command", ["history", "report"])
def test_readers_name_the_damaged_file_without_a_traceback(
    command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = app_paths().history_db
    damaged = _damaged_history(db)
    out = ["--out", str(tmp_path / "report.html")] if command == "report" else []
    code = main([command, "--since", "2000d", *out])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and "unexpected error" not in err
    assert str(db) in err and "damaged" in err
    assert "traywatch watch" in err  # what to do
    assert db.read_bytes()[3 * PAGE : 4 * PAGE] == damaged[3 * PAGE : 4 * PAGE]  # left for the recorder
    assert not list(db.parent.glob("history.sqlite3.corrupt-*"))


def test_reading_a_damaged_file_is_a_history_error_naming_it(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    _damaged_history(db)
    with HistoryStore.open(db) as store, pytest.raises(HistoryError, match="damaged") as caught:
        store.uptime(T0 + timedelta(minutes=30), T0 + timedelta(hours=2))  # reads the damaged index
    assert str(db) in str(caught.value)


def test_the_recorder_moves_a_damaged_file_aside_at_start_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "history.sqlite3"
    damaged = _damaged_history(db)
    driver = Driver()
    with caplog.at_level(logging.WARNING), Recorder(db, interval_s=60, clock=driver.clock) as rec:
        driver.listeners.append(rec)
        driver.rounds(3)
    (moved,) = tmp_path.glob("history.sqlite3.corrupt-*[0-9]")
    assert moved.read_bytes()[PAGE:] == damaged[PAGE:]  # kept as it was, for whoever wants to rescue it
    assert str(moved) in caplog.text and "damaged" in caplog.text
    with HistoryStore.open(db, check=True) as store:
        assert store.moved_aside is None
        assert store._conn.execute("SELECT count(*) FROM rounds").fetchone()[0] == 3
