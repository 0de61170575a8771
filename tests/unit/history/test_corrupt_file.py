"""A damaged history file is moved aside with a timestamp, a fresh one is started, the user is
told where the old one is, and nothing else in the folder is touched."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.unit.history.synthetic import Driver
from traywatch.core.history import HistoryStore, Recorder

GARBAGE = b"this is not a database \x00\xff\x13" * 200


def test_garbage_bytes_are_moved_aside_and_a_fresh_file_is_started(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(GARBAGE)
    neighbour = db_path.parent / "notes.txt"
    neighbour.write_text("keep me")
    with caplog.at_level(logging.WARNING), HistoryStore.open(db_path) as store:
        moved = store.moved_aside
        assert store.service_names() == {}  # a working, empty history
    assert moved is not None and moved.parent == db_path.parent
    assert moved.name.startswith("history.sqlite3.corrupt-20")  # ...corrupt-YYYYmmdd-HHMMSS
    assert moved.read_bytes() == GARBAGE  # the old file is kept as it was
    assert neighbour.read_text() == "keep me"
    assert str(moved) in caplog.text and "was damaged" in caplog.text


def test_damaged_pages_inside_a_real_file_are_found_by_the_full_check(db_path: Path) -> None:
    driver = Driver()
    with Recorder(db_path, interval_s=60, clock=driver.clock) as rec:
        driver.listeners.append(rec)
        driver.rounds(300)
    with HistoryStore.open(db_path) as store:
        store.checkpoint()
    data = bytearray(db_path.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[3 * page : 5 * page] = b"\xa5" * (2 * page)  # trash two pages in the middle
    db_path.write_bytes(bytes(data))
    with HistoryStore.open(db_path, check=True) as store:
        assert store.moved_aside is not None and store.moved_aside.exists()
        assert store._conn.execute("SELECT count(*) FROM rounds").fetchone()[0] == 0


def test_the_recorder_starts_on_a_damaged_file_and_keeps_recording(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(GARBAGE)
    driver = Driver()
    with Recorder(db_path, interval_s=60, clock=driver.clock) as rec:
        driver.listeners.append(rec)
        driver.rounds(3)
    with HistoryStore.open(db_path) as store:
        assert store._conn.execute("SELECT count(*) FROM rounds").fetchone()[0] == 3
    assert len(list(db_path.parent.glob("history.sqlite3.corrupt-*"))) == 1
