"""Logging set-up: a rotating file in the log folder, warnings on the console, and hooks that put
what escapes into the log: `sys.excepthook` (the main thread; Qt slots in the tray app) and
`threading.excepthook` (every other thread). Qt's own messages: traywatch.ui.qt_messages."""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sys
import threading
import types
from pathlib import Path

from traywatch.core.private_files import open_private, private_folder
from traywatch.i18n import N_, Message, _, render

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CONSOLE_FORMAT = "traywatch: %(levelname)s: %(message)s"
# The level names the console shows, translated there (the log file keeps the English ones).
_LEVELS = {
    "DEBUG": N_("DEBUG"),
    "INFO": N_("INFO"),
    "WARNING": N_("WARNING"),
    "ERROR": N_("ERROR"),
    "CRITICAL": N_("CRITICAL"),
}


class ConsoleFormatter(logging.Formatter):
    """The console's lines in the language in use: the level's name, and every `Message` in the
    record (the message or its arguments) rendered; the file's records stay in English."""

    def format(self, record: logging.LogRecord) -> str:
        said = logging.makeLogRecord(record.__dict__)
        said.levelname = _(_LEVELS.get(record.levelname, record.levelname))
        said.msg = render(record.msg) if isinstance(record.msg, Message) else record.msg
        if isinstance(record.args, tuple):
            said.args = tuple(render(a) if isinstance(a, Message) else a for a in record.args)
        return super().format(said)


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """The log names the owner's services and outages: each file (rotated ones too) is 0600."""

    def _open(self) -> io.TextIOWrapper:
        fd = open_private(Path(self.baseFilename), os.O_WRONLY | os.O_APPEND)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def setup_logging(log_file: Path | None, verbose: bool = False) -> None:
    """Configure the root logger once. The file is optional: a read-only home must not stop us."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(ConsoleFormatter(CONSOLE_FORMAT))
    root.addHandler(console)
    if log_file is not None:
        try:
            private_folder(log_file.parent)
            handler = PrivateRotatingFileHandler(
                log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
            )
        except OSError as exc:
            logging.getLogger(__name__).warning(
                "%s", _("cannot write the log file {path}: {reason}").format(path=log_file, reason=exc)
            )
        else:
            handler.setFormatter(logging.Formatter(FORMAT))
            root.addHandler(handler)

    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook


def _excepthook(kind: type[BaseException], value: BaseException, tb: types.TracebackType | None) -> None:
    """What escapes the main thread (and, in the tray app, a Qt slot): into the log, in full."""
    logging.getLogger("traywatch").critical("unexpected error", exc_info=(kind, value, tb))


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    """What escapes any other thread: into the log with the thread's name (SystemExit is quiet)."""
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    name = args.thread.name if args.thread is not None else "?"
    logging.getLogger("traywatch").critical(
        "unexpected error in thread %s", name, exc_info=(args.exc_type, args.exc_value, args.exc_traceback)
    )
