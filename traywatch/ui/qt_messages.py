"""Qt's own messages (warnings about fonts, the tray, D-Bus, painting…) into traywatch's log.

Without a handler Qt writes them to stderr, which nobody reads for a tray app started from the
desktop; with `install()` they go through logging (logger `traywatch.qt`) into the log file, at the
matching level, with Qt's category when it has one.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("traywatch.qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category if context is not None else None
    where = f" [{category}]" if category and category != "default" else ""
    log.log(_LEVELS.get(kind, logging.WARNING), "Qt%s: %s", where, message)


def install() -> None:
    """Route Qt's messages into the log from now on (call once, with the QApplication)."""
    qInstallMessageHandler(_handle)
