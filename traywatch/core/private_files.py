"""Files that hold a business's records (the history, its lock, the account note, the log) are
the owner's alone: created 0600, in folders created 0700, whatever the umask says."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: Path) -> None:
    """Create the folder (missing parents too) for the owner only; an existing one is kept."""
    if not folder.is_dir():
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)


def open_private(path: Path, flags: int) -> int:
    """os.open() that creates a missing file 0600 (the umask can only take rights away)."""
    return os.open(path, flags | os.O_CREAT, FILE_MODE)


def create_private(path: Path) -> None:
    """Create the file empty and owner-only if it does not exist yet. An existing file is never
    opened: closing any descriptor of a file drops every POSIX lock this process holds on it,
    and SQLite's locks on the history file are such locks (see core/history/connection.py)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def make_private(path: Path) -> None:
    """An existing file of ours that others may read or write (an older traywatch made it 0644)
    loses those rights (0644 becomes 0600; the owner's own rights stay as they are). Files of
    another owner, and failures, are left as they are."""
    with contextlib.suppress(OSError):
        info = path.stat()
        if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) & 0o077:
            path.chmod(stat.S_IMODE(info.st_mode) & 0o700)
            log.info("%s is now readable by its owner only", path)
