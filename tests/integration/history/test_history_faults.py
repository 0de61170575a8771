"""Faults with real files and processes: another process holding the write lock is waited for,
and a really full disk (a tiny tmpfs) keeps rounds in memory until space comes back."""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.history.hostile import fill, tiny_tmpfs
from tests.unit.history.synthetic import T0, Driver, make_round
from traywatch.core.history import HistoryStore, Recorder
from traywatch.core.history.records import RoundRecorded, SessionStarted

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
conn.execute("INSERT INTO meta (key, value) VALUES ('other process', 'was here')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


@contextlib.contextmanager
def write_lock_held(path: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the database's write lock for `seconds` from when this yields."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.wait(timeout=30)


def _count(path: Path, table: str = "rounds") -> int:
    with HistoryStore.open(path) as store:
        return int(store._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_write_waits_for_another_process_holding_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path) as store:
        store.write([SessionStarted("s", T0, 60)])
        with write_lock_held(path, 1.0):
            started = time.monotonic()
            store.write([RoundRecorded("s", make_round(T0), 180)])  # waits, does not raise
            waited = time.monotonic() - started
        assert waited >= 0.5
        assert store._conn.execute("SELECT value FROM meta WHERE key = 'other process'").fetchone() == (
            "was here",
        )
    assert _count(path) == 1


def test_a_lock_held_longer_than_the_timeout_only_delays_the_rounds(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "history.sqlite3"
    driver = Driver()
    rec = Recorder(path, interval_s=60, clock=driver.clock, busy_timeout_s=0.2)
    rec.start()
    driver.listeners.append(rec)
    driver.rounds(2)
    with caplog.at_level(logging.WARNING, logger="traywatch.core.history"), write_lock_held(path, 1.5):
        driver.rounds(2)
        assert rec.buffered_rounds == 2
    driver.round()
    rec.stop()
    assert rec.buffered_rounds == 0 and _count(path) == 5
    assert "locked" in caplog.text


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    with tiny_tmpfs(tmp_path / "tiny", size="1m") as mount:
        yield mount


def test_a_really_full_disk_keeps_rounds_in_memory_and_writes_them_when_space_returns(
    tiny_disk: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tiny_disk / "data" / "history.sqlite3"
    driver = Driver()
    rec = Recorder(path, interval_s=60, clock=driver.clock)
    rec.start()
    driver.listeners.append(rec)
    driver.rounds(3)
    assert rec.buffered_rounds == 0

    filler = fill(tiny_disk)
    with caplog.at_level(logging.WARNING, logger="traywatch.core.history"):
        driver.rounds(40)
        driver.rounds(5, down=["instagram"])
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "full" in warnings[0].getMessage()
    assert rec.buffered_rounds > 0  # the disk really filled up and rounds wait in memory

    filler.unlink()
    driver.round(down=["instagram"])
    assert rec.buffered_rounds == 0
    rec.stop()
    assert _count(path) == 3 + 40 + 5 + 1
    assert _count(path, "incidents") == 1


def test_a_round_never_waits_for_a_locked_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Start-up and every round return at once while another process holds the write lock
    (each attempt in the writer's thread waits up to the busy timeout, 10 s here)."""
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()
    driver = Driver()
    rec = Recorder(path, interval_s=60, clock=driver.clock, busy_timeout_s=10.0)
    took = []
    with caplog.at_level(logging.WARNING, logger="traywatch.core.history"), write_lock_held(path, 2.0):
        started = time.monotonic()
        rec.start()
        took.append(time.monotonic() - started)
        for _ in range(5):
            update = driver.monitor.observe(make_round(driver.now))
            driver.advance(60)
            started = time.monotonic()
            rec(update)
            took.append(time.monotonic() - started)
        assert rec.buffered_rounds == 5
    assert max(took) < 0.5, took
    assert rec.settle()
    rec.stop()
    assert _count(path) == 5  # all written once the lock went
