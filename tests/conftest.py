"""Shared fixtures: every test gets its own TRAYWATCH_HOME so nothing touches the real profile,
and speaks English unless it asks for another language."""

from __future__ import annotations

import faulthandler
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """A crash prints the stack of the thread that crashed only. CI shows the start and the end
    of what a run printed, and a dump of every thread hid the one that mattered in between."""
    try:
        from _pytest.faulthandler import fault_handler_stderr_fd_key
    except ImportError:  # another pytest: its own dump stays
        return
    fd = config.stash.get(fault_handler_stderr_fd_key, None)
    if fd is not None:
        faulthandler.enable(file=fd, all_threads=False)


@pytest.fixture(autouse=True)
def traywatch_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "traywatch-home"
    monkeypatch.setenv("TRAYWATCH_HOME", str(home))
    yield home


@pytest.fixture(autouse=True)
def english_unless_asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests read English unless they ask for a language: the machine's own locale (a CI box
    set to German, say) must not change what the app says. The language in use is put back."""
    from traywatch.i18n import current_language, set_language

    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    before = current_language()
    set_language("en")
    yield
    set_language(before)
