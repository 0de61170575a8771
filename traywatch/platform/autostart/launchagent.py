"""macOS: a per-user LaunchAgent, `~/Library/LaunchAgents/<APP_ID>.plist`, loaded at login.

The plist only starts the program; that it shows no Dock icon is the bundle's `LSUIElement`.
"""

from __future__ import annotations

import logging
import plistlib
from pathlib import Path
from typing import Any

from traywatch.platform.autostart.base import APP_ID, cannot

log = logging.getLogger(__name__)


def launch_agent_plist(command: list[str], label: str = APP_ID) -> bytes:
    """The LaunchAgent's XML plist: run once at login in the user's GUI session, never restarted."""
    if not command:
        raise ValueError("empty autostart command")
    data: dict[str, Any] = {
        "Label": label,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "KeepAlive": False,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }
    return plistlib.dumps(data, fmt=plistlib.FMT_XML, sort_keys=True)


class LaunchAgent:
    """The LaunchAgent file; `home` is the seam for tests (default: the user's home)."""

    def __init__(self, home: Path | None = None, label: str = APP_ID) -> None:
        self._home = home
        self.label = label

    @property
    def path(self) -> Path:
        home = self._home if self._home is not None else Path.home()
        return home / "Library" / "LaunchAgents" / f"{self.label}.plist"

    @property
    def location(self) -> str:
        return str(self.path)

    def is_enabled(self) -> bool:
        try:
            data = plistlib.loads(self.path.read_bytes())
        except FileNotFoundError:
            return False
        except (OSError, plistlib.InvalidFileException, ValueError) as exc:
            raise cannot("read", self.path, exc) from exc
        return isinstance(data, dict) and not data.get("Disabled", False)

    def enable(self, command: list[str]) -> None:
        content = launch_agent_plist(command, self.label)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.tmp")
            tmp.write_bytes(content)
            tmp.replace(self.path)
        except OSError as exc:
            raise cannot("write", self.path, exc) from exc
        log.info("start at login enabled: %s", self.path)

    def disable(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            raise cannot("remove", self.path, exc) from exc
        log.info("start at login disabled: %s removed", self.path)
