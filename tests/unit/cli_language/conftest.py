"""Fixtures of the command-line language tests: the language and logging put back after each
test, the bracket language, and a config file whose catalogue answers nothing."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import brackets
from tests.unit.cli_language.support import LOCALE_VARIABLES, config_dir
from tests.unit.test_cli import dead_catalogue
from traywatch.i18n import set_language


@pytest.fixture(autouse=True)
def _english_afterwards(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """main() sets the language for the process and the logging: put both back afterwards."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level, hook = list(root.handlers), root.level, sys.excepthook
    yield
    set_language("en")
    root.handlers[:] = handlers
    root.setLevel(level)
    sys.excepthook = hook


@pytest.fixture
def bracketed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every language but English says its texts in brackets (no catalogue is read)."""
    brackets.install(monkeypatch)


@pytest.fixture
def config_file(traywatch_home: Path) -> Path:
    folder = config_dir(traywatch_home)
    catalogue = dead_catalogue(folder)
    path = folder / "config.toml"
    path.write_text(f'[catalogue]\nfile = "{catalogue.name}"\n[check]\ntimeout = 5\n', "utf-8")
    return path
