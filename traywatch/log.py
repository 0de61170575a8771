"""Logging set-up: a rotating file in the log folder, warnings on the console, an excepthook."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import types
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_file: Path | None, verbose: bool = False) -> None:
    """Configure the root logger once. The file is optional: a read-only home must not stop us."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("traywatch: %(levelname)s: %(message)s"))
    root.addHandler(console)
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
            )
        except OSError as exc:
            logging.getLogger(__name__).warning("cannot write the log file %s: %s", log_file, exc)
        else:
            handler.setFormatter(logging.Formatter(FORMAT))
            root.addHandler(handler)

    def excepthook(kind: type[BaseException], value: BaseException, tb: types.TracebackType | None) -> None:
        logging.getLogger("traywatch").critical("unexpected error", exc_info=(kind, value, tb))

    sys.excepthook = excepthook
