"""What the command-line language tests share: a test message, a config folder, the language a
command left in use, and every string in a JSON tree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from traywatch.cli import main
from traywatch.i18n import Template, current_language

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
TEST_SUMMARY = Template("test.cli.summary", "Test summary about {service}.")


def config_dir(home: Path) -> Path:
    folder = home / "config"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def spoken_after(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The language in use after `traywatch ARGV` ran (a command that needs no network)."""
    assert main(argv) == 0, capsys.readouterr().err
    capsys.readouterr()
    return current_language()


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from strings(value)
