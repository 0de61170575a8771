"""Shared fixtures: every test gets its own TRAYWATCH_HOME so nothing touches the real profile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def traywatch_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "traywatch-home"
    monkeypatch.setenv("TRAYWATCH_HOME", str(home))
    yield home
