"""The start-at-login interface shared by every platform, its error, and the app's identifiers."""

from __future__ import annotations

from typing import Literal, Protocol

from traywatch.core.errors import TraywatchError
from traywatch.i18n import N_, _

APP_NAME = "traywatch"
APP_ID = "io.traywatch.Traywatch"  # reverse-DNS id: LaunchAgent label, macOS bundle identifier


class AutostartError(TraywatchError):
    """The login item could not be read, written or removed (the message says where and why)."""


_CANNOT = {
    "read": N_("{path}: cannot be read: {reason}"),
    "write": N_("{path}: cannot be written: {reason}"),
    "remove": N_("{path}: cannot be removed: {reason}"),
}


def cannot(what: Literal["read", "write", "remove"], where: object, exc: Exception) -> AutostartError:
    """The error for a login item that could not be read, written or removed, in the language in use."""
    return AutostartError(_(_CANNOT[what]).format(path=where, reason=exc))


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
