"""Numbers, lists, durations and times in a language's own way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime


def list_join(items: Sequence[str], lang: str) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def duration(seconds: float, lang: str) -> str:
    """'45 s', '12 min', '2 h 14 min', '3 d 4 h'. Never negative."""
    s = max(0, round(seconds))
    if s < 60:
        return f"{s} s"
    minutes = s // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def clock(moment: datetime, lang: str, now: datetime | None = None) -> str:
    """Local time of day, with the date when it is not today: '14:05', '5 Mar 14:05'."""
    local = moment.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    return local.strftime("%H:%M") if local.date() == today else f"{local.day} {local.strftime('%b %H:%M')}"


def decimal(value: float, digits: int, lang: str) -> str:
    return f"{value:.{digits}f}"


def integer(value: int, lang: str) -> str:
    return str(value)
