"""Start at login on Windows: the Run value's command line, through the registry seam."""

from __future__ import annotations

import sys

import pytest

from traywatch.platform.autostart import AutostartError, WindowsRun, pick
from traywatch.platform.autostart.windows_run import RUN_KEY, WinregStore, run_value


class FakeRunKey:
    """The per-user Run key as a dict (what winreg would hold)."""

    def __init__(self, fail: bool = False) -> None:
        self.values: dict[str, str] = {}
        self.fail = fail

    def get(self, name: str) -> str | None:
        if self.fail:
            raise PermissionError("access denied")
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        if self.fail:
            raise PermissionError("access denied")
        self.values[name] = value

    def delete(self, name: str) -> None:
        if self.fail:
            raise PermissionError("access denied")
        self.values.pop(name, None)


@pytest.mark.parametrize(
    ("command", "value"),
    [
        ([r"C:\Program Files\traywatch\traywatch.exe"], r'"C:\Program Files\traywatch\traywatch.exe"'),
        ([r"C:\traywatch\traywatch.exe"], r"C:\traywatch\traywatch.exe"),
        (
            [r"C:\Python311\python.exe", "-m", "traywatch", "--show", "history"],
            r"C:\Python311\python.exe -m traywatch --show history",
        ),
        ([r"C:\x\traywatch.exe", 'say "hi"'], r'C:\x\traywatch.exe "say \"hi\""'),
    ],
)
def test_run_value_is_a_windows_command_line(command: list[str], value: str) -> None:
    assert run_value(command) == value


def test_enable_sets_the_value_and_disable_deletes_it() -> None:
    key = FakeRunKey()
    entry = WindowsRun(store=key)
    assert entry.location == f"HKEY_CURRENT_USER\\{RUN_KEY}\\traywatch"
    assert not entry.is_enabled()
    entry.enable([r"C:\Program Files\traywatch\traywatch.exe"])
    assert key.values == {"traywatch": r'"C:\Program Files\traywatch\traywatch.exe"'}
    assert entry.is_enabled()
    entry.disable()
    assert key.values == {}
    assert not entry.is_enabled()
    entry.disable()


def test_registry_errors_become_autostart_errors_naming_the_key() -> None:
    entry = WindowsRun(store=FakeRunKey(fail=True))
    for action in (entry.is_enabled, entry.disable, lambda: entry.enable([r"C:\t.exe"])):
        with pytest.raises(AutostartError, match=r"CurrentVersion\\Run\\traywatch"):
            action()


@pytest.mark.skipif(sys.platform == "win32", reason="checks the behaviour off Windows")
def test_the_real_registry_store_says_it_needs_windows() -> None:
    with pytest.raises(AutostartError, match="only on Windows"):
        WindowsRun(store=WinregStore()).enable([r"C:\t.exe"])


def test_pick_gives_the_run_key_on_windows() -> None:
    assert isinstance(pick("win32"), WindowsRun)
