"""Start at login: one small interface, one implementation per platform, and `pick()` to choose.

Linux and other XDG desktops get an autostart `.desktop` entry, macOS a per-user LaunchAgent,
Windows a value under the per-user Run key. The settings toggle asks `is_enabled()` (the entry on
disk is the truth, not a config flag) and calls `enable(autostart_command())` or `disable()`.
"""

from __future__ import annotations

import sys

from traywatch.platform.autostart.base import APP_ID, AutostartEntry, AutostartError
from traywatch.platform.autostart.command import autostart_command
from traywatch.platform.autostart.launchagent import LaunchAgent
from traywatch.platform.autostart.windows_run import WindowsRun
from traywatch.platform.autostart.xdg import XdgAutostart

__all__ = [
    "APP_ID",
    "AutostartEntry",
    "AutostartError",
    "LaunchAgent",
    "WindowsRun",
    "XdgAutostart",
    "autostart_command",
    "pick",
]


def pick(platform: str = sys.platform) -> AutostartEntry:
    """The implementation for this platform: XDG for Linux and the other Unix desktops."""
    if platform == "darwin":
        return LaunchAgent()
    if platform == "win32":
        return WindowsRun()
    return XdgAutostart()
