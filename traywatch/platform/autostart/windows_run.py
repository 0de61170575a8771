"""Windows: a value named `traywatch` under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run.

Registry access goes through `RunKeyStore`, so the value written can be tested on any platform;
`WinregStore` is the real one and works only on Windows.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from typing import Protocol

from traywatch.platform.autostart.base import APP_NAME, cannot

log = logging.getLogger(__name__)

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE_NAME = APP_NAME


def run_value(command: list[str]) -> str:
    """The command line stored in the Run value (quoted the way Windows programs parse it)."""
    if not command:
        raise ValueError("empty autostart command")
    return subprocess.list2cmdline(command)


class RunKeyStore(Protocol):
    """String values of the per-user Run key. Raises OSError like winreg does."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None:
        """Remove the value; a missing value is not an error."""
        ...


class WinregStore:
    """HKEY_CURRENT_USER\\<RUN_KEY> through winreg (Windows only)."""

    def get(self, name: str) -> str | None:
        if sys.platform == "win32":
            import winreg

            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                    value, _kind = winreg.QueryValueEx(key, name)
            except FileNotFoundError:
                return None
            return str(value)
        raise OSError("the Run key exists only on Windows")

    def set(self, name: str, value: str) -> None:
        if sys.platform == "win32":
            import winreg

            with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)
            return
        raise OSError("the Run key exists only on Windows")

    def delete(self, name: str) -> None:
        if sys.platform == "win32":
            import winreg

            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                    winreg.DeleteValue(key, name)
            except FileNotFoundError:
                pass
            return
        raise OSError("the Run key exists only on Windows")


class WindowsRun:
    """The Run value; `store` is the seam for tests (default: the real registry)."""

    def __init__(self, store: RunKeyStore | None = None, name: str = VALUE_NAME) -> None:
        self._store: RunKeyStore = store if store is not None else WinregStore()
        self.name = name

    @property
    def location(self) -> str:
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{self.name}"

    def is_enabled(self) -> bool:
        try:
            return bool(self._store.get(self.name))
        except OSError as exc:
            raise cannot("read", self.location, exc) from exc

    def enable(self, command: list[str]) -> None:
        try:
            self._store.set(self.name, run_value(command))
        except OSError as exc:
            raise cannot("write", self.location, exc) from exc
        log.info("start at login enabled: %s", self.location)

    def disable(self) -> None:
        try:
            self._store.delete(self.name)
        except OSError as exc:
            raise cannot("remove", self.location, exc) from exc
        log.info("start at login disabled: %s removed", self.location)
