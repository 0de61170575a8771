"""Which command a login item should start: the frozen executable, else this install's `traywatch`.

On Windows the login item must never open a console window: the bundle's windowed `traywatch.exe`
(also when asked from `traywatch-cli.exe`), and for pip installs the `traywatchw` gui-scripts entry
that pip puts in `Scripts\\` (not beside `python.exe`), else `pythonw.exe -m traywatch`.
"""

from __future__ import annotations

import shutil
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

SCRIPT_NAME = "traywatch"
GUI_SCRIPT_NAME = "traywatchw"  # pyproject's [project.gui-scripts]: no console window on Windows
CLI_SUFFIX = "-cli"  # the bundle's console twin on Windows: traywatch-cli.exe


def autostart_command(
    *,
    frozen: bool | None = None,
    executable: str | None = None,
    platform: str = sys.platform,
    which: Callable[[str], str | None] = shutil.which,
    scripts_dir: str | None = None,
) -> list[str]:
    """The program (and arguments) that starts the tray app, as an absolute path.

    Frozen (PyInstaller): the bundle's own executable. From a pip install: the `traywatch` script
    next to this interpreter (the same venv), else the one on PATH, else `python -m traywatch`;
    on Windows the windowed variants of each (`scripts_dir`: where pip put the scripts).
    """
    is_frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    exe = Path(executable if executable is not None else sys.executable).absolute()
    windows = platform == "win32"
    if is_frozen:
        windowed = exe.with_name(exe.name.replace(SCRIPT_NAME + CLI_SUFFIX, SCRIPT_NAME, 1))
        return [str(windowed if windows and windowed.is_file() else exe)]
    if windows:
        return _windows_pip_command(exe, which, scripts_dir)
    beside = exe.parent / SCRIPT_NAME
    if beside.is_file():
        return [str(beside)]
    found = which(SCRIPT_NAME)
    if found:
        return [str(Path(found).absolute())]
    return [str(exe), "-m", "traywatch"]


def _windows_pip_command(exe: Path, which: Callable[[str], str | None], scripts_dir: str | None) -> list[str]:
    scripts = Path(scripts_dir if scripts_dir is not None else sysconfig.get_path("scripts"))
    for folder in (scripts, exe.parent):
        candidate = folder / f"{GUI_SCRIPT_NAME}.exe"
        if candidate.is_file():
            return [str(candidate.absolute())]
    found = which(GUI_SCRIPT_NAME)
    if found:
        return [str(Path(found).absolute())]
    pythonw = exe.with_name("pythonw.exe")
    return [str(pythonw if pythonw.is_file() else exe), "-m", "traywatch"]
