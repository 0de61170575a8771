"""Linux (and other XDG desktops): `$XDG_CONFIG_HOME/autostart/traywatch.desktop`.

The file follows the Desktop Entry and Autostart specifications; the desktop session starts its
`Exec` line at login. `Hidden=true` or `X-GNOME-Autostart-enabled=false` (what desktop settings
write to switch an entry off) count as disabled.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from traywatch.platform.autostart.base import APP_NAME, cannot

log = logging.getLogger(__name__)

FILE_NAME = f"{APP_NAME}.desktop"
# Characters that force an Exec argument into double quotes (Desktop Entry spec, "The Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_ESCAPED_IN_QUOTES = set('"`$\\')


def quote_exec_argument(arg: str) -> str:
    """One argument as the Exec key wants it (before the string-value escaping of backslashes)."""
    if not arg:
        return '""'
    arg = arg.replace("%", "%%")  # a literal percent sign; %f, %u... are field codes
    if not any(ch in _RESERVED for ch in arg):
        return arg
    return '"' + "".join("\\" + ch if ch in _ESCAPED_IN_QUOTES else ch for ch in arg) + '"'


def _escape_string_value(text: str) -> str:
    """Escape a value for a .desktop file line: backslash first, then the control characters."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def exec_line(command: list[str]) -> str:
    """The Exec value for `command`, escaped for the file."""
    if not command:
        raise ValueError("empty autostart command")
    return _escape_string_value(" ".join(quote_exec_argument(a) for a in command))


def desktop_entry(command: list[str]) -> str:
    """The autostart file's text."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        f"Name={APP_NAME}",
        "GenericName=Internet and Meta status",
        "Comment=Tells you whether your internet or Meta is down",
        f"Exec={exec_line(command)}",
    ]
    if os.path.isabs(command[0]):
        lines.append(f"TryExec={_escape_string_value(command[0])}")
    lines += [
        f"Icon={APP_NAME}",
        "Terminal=false",
        "StartupNotify=false",
        "Categories=Network;Monitor;",
        "X-GNOME-Autostart-enabled=true",
        "X-GNOME-Autostart-Delay=5",
        "X-KDE-autostart-after=panel",
    ]
    return "\n".join(lines) + "\n"


def _entry_keys(text: str) -> dict[str, str]:
    """Keys of the [Desktop Entry] group (enough to read the on/off switches)."""
    keys: dict[str, str] = {}
    group = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
        elif group == "Desktop Entry" and "=" in line:
            key, _, value = line.partition("=")
            keys[key.strip()] = value.strip()
    return keys


def config_home(environ: Mapping[str, str] | None = None, home: Path | None = None) -> Path:
    """$XDG_CONFIG_HOME when it is set to an absolute path (the spec ignores others), else ~/.config."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_CONFIG_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return (home if home is not None else Path.home()) / ".config"


class XdgAutostart:
    """The autostart entry in the user's XDG config folder (resolved when used, not at import)."""

    def __init__(self, environ: Mapping[str, str] | None = None, home: Path | None = None) -> None:
        self._environ = environ
        self._home = home

    @property
    def path(self) -> Path:
        return config_home(self._environ, self._home) / "autostart" / FILE_NAME

    @property
    def location(self) -> str:
        return str(self.path)

    def is_enabled(self) -> bool:
        try:
            text = self.path.read_text("utf-8")
        except FileNotFoundError:
            return False
        except (OSError, UnicodeDecodeError) as exc:
            raise cannot("read", self.path, exc) from exc
        keys = _entry_keys(text)
        if keys.get("Hidden", "false").lower() == "true":
            return False
        return keys.get("X-GNOME-Autostart-enabled", "true").lower() != "false"

    def enable(self, command: list[str]) -> None:
        target = self.path
        text = desktop_entry(command)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{FILE_NAME}.", dir=target.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise cannot("write", target, exc) from exc
        log.info("start at login enabled: %s", target)

    def disable(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            raise cannot("remove", self.path, exc) from exc
        log.info("start at login disabled: %s removed", self.path)
