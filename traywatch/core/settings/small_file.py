"""Reading a small text file the owner points at (the settings, a catalogue) without trusting what
it is: a named pipe must not hang traywatch waiting for a writer, and `/dev/zero` or a runaway
file must not fill the memory. Anything but a regular file or a device is refused; at most
`MAX_BYTES` are read. Failures are OSErrors whose text reads well after "cannot be read: ".
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_BYTES = 1024 * 1024  # settings and catalogues are a few KB; a megabyte is not one of them
_CHUNK = 64 * 1024


def read_small_text(path: Path, limit: int = MAX_BYTES) -> str:
    """The file's text (UTF-8, newlines as `Path.read_text` gives them). FileNotFoundError as
    `open` raises it; OSError for a pipe, a socket, a folder or more than `limit` bytes;
    UnicodeDecodeError for text that is not UTF-8."""
    # O_NONBLOCK: opening a named pipe returns at once instead of waiting for a writer
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file")
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            raise OSError("it is a named pipe or a socket, not a file")
        data = bytearray()
        while len(data) <= limit:
            try:
                chunk = os.read(fd, _CHUNK)
            except BlockingIOError:  # a device with nothing to give now (a terminal)
                break
            if not chunk:
                break
            data += chunk
    finally:
        os.close(fd)
    if len(data) > limit:
        raise OSError(f"it is larger than {limit / (1024 * 1024):g} MB, far more than any settings file")
    # as Path.read_text returns it: universal newlines
    return bytes(data).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
