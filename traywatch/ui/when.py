"""Times and durations as the windows show them, in the language in use (CLDR formats through
traywatch.i18n.formats; day and month names from Qt's locale, set with the language)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale

from traywatch.i18n import current_language, formats


def duration(seconds: float) -> str:
    """'45 s', '2 h 14 min' in the language in use."""
    return formats.duration(seconds, current_language())


def clock(moment: datetime, now: datetime | None = None) -> str:
    """Local time of day, with the date when it is not today."""
    return formats.clock(moment, current_language(), now)


def day_and_time(moment: datetime, with_year: bool = False) -> str:
    """'Mon 23 Nov 17:40' (with the year when asked), day and month names in the language in use."""
    local = QDateTime.fromSecsSinceEpoch(round(moment.timestamp()))
    return QLocale().toString(local, "ddd dd MMM yyyy HH:mm" if with_year else "ddd dd MMM HH:mm")


def day(moment: datetime, pattern: str) -> str:
    """A date in a Qt pattern ('ddd d', 'd MMM'), names in the language in use."""
    return QLocale().toString(QDateTime.fromSecsSinceEpoch(round(moment.timestamp())), pattern)
