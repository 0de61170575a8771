"""The start-at-login interface shared by every platform, its error, and the app's identifiers."""

from __future__ import annotations

from typing import Protocol

from traywatch.core.errors import TraywatchError

APP_NAME = "traywatch"
APP_ID = "io.traywatch.Traywatch"  # reverse-DNS id: LaunchAgent label, macOS bundle identifier


class AutostartError(TraywatchError):
    """The login item could not be read, written or removed (the message says where and why)."""


class AutostartEntry(Protocol):
    """What the settings toggle needs; every method may raise AutostartError."""

    @property
    def location(self) -> str:
        """Where the entry lives, for messages and the self-check (a path or a registry key)."""
        ...

    def is_enabled(self) -> bool:
        """True when the entry exists and is not switched off by the desktop's own settings."""
        ...

    def enable(self, command: list[str]) -> None:
        """Start `command` (program and arguments) at the next login; replaces an older entry."""
        ...

    def disable(self) -> None:
        """Remove the entry; doing so when there is none is not an error."""
        ...
