"""Which command a login item should start: the frozen executable, else this install's `traywatch`."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

SCRIPT_NAME = "traywatch"


def autostart_command(
    *,
    frozen: bool | None = None,
    executable: str | None = None,
    platform: str = sys.platform,
    which: Callable[[str], str | None] = shutil.which,
) -> list[str]:
    """The program (and arguments) that starts the tray app, as an absolute path.

    Frozen (PyInstaller): the bundle's own executable. From a pip install: the `traywatch` script
    next to this interpreter (the same venv), else the one on PATH, else `python -m traywatch`.
    """
    is_frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    exe = executable if executable is not None else sys.executable
    if is_frozen:
        return [str(Path(exe).absolute())]
    script = SCRIPT_NAME + (".exe" if platform == "win32" else "")
    beside = Path(exe).absolute().parent / script
    if beside.is_file():
        return [str(beside)]
    found = which(SCRIPT_NAME)
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(exe).absolute()), "-m", "traywatch"]
