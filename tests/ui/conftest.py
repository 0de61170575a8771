"""UI tests run offscreen unless a display platform is chosen explicitly (e.g. under Xvfb).

The PySide6 reference-count guard is applied once for the whole session: a long run of Qt calls
would otherwise abort Python on builds that drop references to None/True (see ui/qt_refcount.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TRAYWATCH_TRAY_WAIT", "0.2")

from traywatch.ui.qt_refcount import guard

guard()


@pytest.fixture(scope="session")
def prepared_history_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three weeks of rounds through the real Monitor and Recorder (built once, ~7 s)."""
    from tests.ui.helpers.history_db import TEST_END, build

    return build(tmp_path_factory.mktemp("prepared") / "history.sqlite3", TEST_END, days=21)


@pytest.fixture
def prepared_history(prepared_history_file: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the prepared history for one test."""
    copy = tmp_path / "data" / "history.sqlite3"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(prepared_history_file, copy)
    yield copy


@pytest.fixture
def bus(qapp: object) -> Iterator[Any]:
    """(fake bus connection, DesktopNotifications on it); closed at the end."""
    from tests.ui.helpers.fake_bus import FakeConnection
    from traywatch.ui.desktop_notify import DesktopNotifications

    conn = FakeConnection()
    notes = DesktopNotifications(conn)
    yield conn, notes
    notes.close()
    assert conn.closed
