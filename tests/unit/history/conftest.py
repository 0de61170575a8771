"""Fixtures for history tests: a real SQLite file in a temporary folder, and a recording driver."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.history.fake_language import bracketed  # noqa: F401 (a fixture for these tests)
from tests.unit.history.synthetic import Driver
from traywatch.core.history import HistoryStore, Recorder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(db_path) as opened:
        yield opened


@pytest.fixture
def driver() -> Driver:
    return Driver()


@pytest.fixture
def recorder(db_path: Path, driver: Driver) -> Iterator[Recorder]:
    """A started recorder listening to the driver; stopped (if still running) at the end."""
    rec = Recorder(db_path, interval_s=driver.interval, clock=driver.clock)
    rec.start()
    driver.listeners.append(rec)
    yield rec
    rec.stop()
