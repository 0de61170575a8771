"""Reading a small text file the owner points at (the settings, a catalogue) without trusting what
it is: a named pipe must not hang traywatch waiting for a writer, and `/dev/zero` or a runaway
file must not fill the memory. Anything but a regular file or a device is refused; at most
`MAX_BYTES` are read. Failures are OSErrors; `os_error_text` words one without the raw error
number ("[Errno 21]") so that it reads well after "cannot be read: ". `not_a_file` says what a
path that should be a file is instead (a folder, a named pipe, a device).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from traywatch.i18n import Message, Template

MAX_BYTES = 1024 * 1024  # settings and catalogues are a few KB; a megabyte is not one of them
_CHUNK = 64 * 1024

# `{error}` is the operating system's own words (`os_error_text`), said as they are.
CANNOT_BE_READ = Template("config.cannot_be_read", "cannot be read: {error}")
NO_SUCH_FILE = Template("config.no_such_file", "no such file: {path}")
PATH_CANNOT_BE_READ = Template("config.path_cannot_be_read", "{path} cannot be read: {error}")
NOT_A_FILE = {
    "a folder": Template("config.folder_not_file", "{path} is a folder, not a file"),
    "a named pipe": Template("config.pipe_not_file", "{path} is a named pipe, not a file"),
    "a socket": Template("config.socket_not_file", "{path} is a socket, not a file"),
    "a device": Template("config.device_not_file", "{path} is a device, not a file"),
    "not a regular file": Template("config.irregular_not_file", "{path} is not a regular file, not a file"),
}
# What `read_small_text` refuses, in the words that follow "cannot be read: ".
IS_A_FOLDER = Template("file.is_a_folder", "it is a folder, not a file")
IS_A_PIPE = Template("file.is_a_pipe", "it is a named pipe, not a file")
IS_A_SOCKET = Template("file.is_a_socket", "it is a socket, not a file")
TOO_LARGE = Template("file.too_large", "it is larger than {megabytes} MB, far more than any settings file")


def os_error_text(exc: OSError) -> str:
    """The error in words, never "[Errno N] …": the reason (`strerror`) when there is one; our
    own reason (a Message) as it is, so it is said in the owner's language."""
    for said in (exc.strerror, *exc.args[:1]):
        if isinstance(said, Message):
            return said
    text = exc.strerror or str(exc)
    # "No such file or directory" reads on after a colon as "no such file or directory"
    return text[0].lower() + text[1:] if text[:1].isupper() and text[1:2].islower() else text


def _what_it_is(mode: int) -> str | None:
    """What a non-regular file is, in the words that follow "it is " (None: a regular file)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return None if stat.S_ISREG(mode) else "not a regular file"


def not_a_file(path: Path) -> Message | None:
    """Why `path` cannot be read as a file ("no such file: …", "… is a folder, not a file"), or
    None when it is a regular file (symbolic links followed)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return NO_SUCH_FILE(path=str(path))
    except OSError as exc:
        return PATH_CANNOT_BE_READ(path=str(path), error=os_error_text(exc))
    what = _what_it_is(mode)
    return None if what is None else NOT_A_FILE[what](path=str(path))


def read_small_text(path: Path, limit: int = MAX_BYTES) -> str:
    """The file's text (UTF-8, newlines as `Path.read_text` gives them). FileNotFoundError as
    `open` raises it; OSError for a pipe, a socket, a folder or more than `limit` bytes;
    UnicodeDecodeError for text that is not UTF-8."""
    # O_NONBLOCK: opening a named pipe returns at once instead of waiting for a writer
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        what = _what_it_is(mode)
        if what == "a folder":
            raise IsADirectoryError(errno.EISDIR, IS_A_FOLDER())
        if what in ("a named pipe", "a socket"):
            raise OSError(errno.EINVAL, IS_A_PIPE() if what == "a named pipe" else IS_A_SOCKET())
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
        raise OSError(TOO_LARGE(megabytes=f"{limit / (1024 * 1024):g}"))
    # as Path.read_text returns it: universal newlines
    return bytes(data).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
