"""Numbers, lists, durations, dates and times in a language's own way.

The CLDR patterns come from cldr.json beside this file, written at build time by
packaging/i18n/cldr_formats.py (Babel is not imported at run time: it is heavy for a tray app).
Every function takes one of the LANGUAGES codes; an unknown code is formatted as English.
"""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from datetime import date as Date
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "cldr.json"
FALLBACK = "en"

# A date pattern's parts: 'quoted text', or a run of one pattern letter ('MMM', 'HH').
_FIELD = re.compile(r"'((?:[^']|'')*)'|([A-Za-z])\2*")


@cache
def _all() -> dict[str, dict[str, Any]]:
    languages: dict[str, dict[str, Any]] = json.loads(DATA_FILE.read_text(encoding="utf-8"))["languages"]
    return languages


def _data(lang: str) -> dict[str, Any]:
    languages = _all()
    return languages.get(lang) or languages[FALLBACK]


@cache
def _plural(lang: str) -> Callable[[int], str]:
    """The CLDR plural category ('one', 'other', ...) of a whole number in the language."""
    data = _data(lang)
    choose = gettext.c2py(data["plural_forms"].split("plural=", 1)[1].rstrip(";").strip())
    categories: list[str] = data["plural_categories"]
    return lambda n: categories[choose(n)]


# -- numbers ---------------------------------------------------------------------------------------
def _grouped(digits: str, data: dict[str, Any]) -> str:
    """'1234567' -> '1,234,567' (or '12,34,567' where the second group is two digits)."""
    primary, secondary = data["grouping"]
    if len(digits) <= primary:
        return digits
    head, groups = digits[:-primary], [digits[-primary:]]
    while len(head) > secondary:
        head, groups = head[:-secondary], [head[-secondary:], *groups]
    return str(data["group"]).join([head, *groups])


def integer(value: int, lang: str) -> str:
    """1234567 -> '1,234,567', '1.234.567', '1 234 567', '12,34,567'."""
    data = _data(lang)
    sign = data["minus"] if value < 0 else ""
    return f"{sign}{_grouped(str(abs(value)), data)}"


def decimal(value: float, digits: int, lang: str) -> str:
    """The number with exactly `digits` decimals, rounded half to even from its shortest
    decimal spelling (2.25 -> '2.2', 2.675 -> '2.68'), with the language's marks: '1.234,5'."""
    data = _data(lang)
    text = repr(float(value))
    if text in ("inf", "-inf", "nan"):
        return text
    negative = text.startswith("-")
    mantissa, _, exponent = text.lstrip("-").partition("e")
    whole, _, fraction = mantissa.partition(".")
    scaled, shift = int(whole + fraction), int(exponent or 0) - len(fraction) + digits
    if shift >= 0:
        units = scaled * 10**shift
    else:
        units, rest = divmod(scaled, 10**-shift)
        if 2 * rest > 10**-shift or (2 * rest == 10**-shift and units % 2):
            units += 1
    number = str(units).rjust(digits + 1, "0")
    head, tail = number[: len(number) - digits], number[len(number) - digits :]
    body = _grouped(head, data) + (f"{data['decimal']}{tail}" if digits > 0 else "")
    return f"{data['minus']}{body}" if negative else body


# -- lists and durations ---------------------------------------------------------------------------
def list_join(items: Sequence[str], lang: str) -> str:
    """'A', 'A and B', 'A, B and C' ('A, B y C', 'A, B und C')."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    patterns = _data(lang)["list"]
    if len(items) == 2:
        return str(patterns["2"]).format(*items)
    said = str(patterns["start"]).format(items[0], items[1])
    for item in items[2:-1]:
        said = str(patterns["middle"]).format(said, item)
    return str(patterns["end"]).format(said, items[-1])


def _unit(count: int, unit: str, lang: str) -> str:
    forms = _data(lang)["units"][unit]
    pattern = forms.get(_plural(lang)(count)) or forms["other"]
    return str(pattern).replace("{0}", integer(count, lang))


def duration(seconds: float, lang: str) -> str:
    """'45 s', '12 min', '2 h 14 min', '3 d 4 h' in the language's unit symbols. Never negative."""
    s = max(0, round(seconds))
    if s < 60:
        return _unit(s, "second", lang)
    minutes = s // 60
    if minutes < 60:
        return _unit(minutes, "minute", lang)
    hours, minutes = divmod(minutes, 60)
    (first, second), units = (hours, minutes), ("hour", "minute")
    if hours >= 24:
        (first, second), units = divmod(hours, 24), ("day", "hour")
    if not second:
        return _unit(first, units[0], lang)
    pair = (_unit(first, units[0], lang), _unit(second, units[1], lang))
    return str(_data(lang)["unit_list"]).format(*pair)


# -- dates and times -------------------------------------------------------------------------------
@cache
def _fields(pattern: str) -> tuple[tuple[str, int, str], ...]:
    """A CLDR date pattern as (letter, width, literal) parts: 'd MMM' -> d/1, ' ', M/3."""
    parts: list[tuple[str, int, str]] = []
    at = 0
    for match in _FIELD.finditer(pattern):
        if match.start() > at:
            parts.append(("", 0, pattern[at : match.start()]))
        if match.group(2):
            parts.append((match.group(2), len(match.group(0)), ""))
        else:
            parts.append(("", 0, match.group(1).replace("''", "'") or "'"))
        at = match.end()
    if at < len(pattern):
        parts.append(("", 0, pattern[at:]))
    return tuple(parts)


def _field(letter: str, width: int, moment: datetime, data: dict[str, Any]) -> str:
    hour = moment.hour
    numbers = {
        "d": moment.day,
        "M": moment.month,
        "H": hour,
        "h": hour % 12 or 12,
        "K": hour % 12,
        "k": hour or 24,
        "m": moment.minute,
        "s": moment.second,
    }
    if letter == "M" and width >= 3:
        return str(data["months"][moment.month - 1])
    if letter in numbers:
        return str(numbers[letter]).rjust(width, "0")
    if letter == "y":
        return f"{moment.year % 100:02d}" if width == 2 else str(moment.year).rjust(width, "0")
    if letter == "E":
        return str(data["weekdays"][moment.weekday()])
    if letter == "a":
        return str(data["am_pm"][hour >= 12])
    raise ValueError(f"date pattern letter {letter!r} is not supported")


def _format(pattern: str, moment: datetime, data: dict[str, Any]) -> str:
    return "".join(
        literal if not letter else _field(letter, width, moment, data)
        for letter, width, literal in _fields(pattern)
    )


def _local(moment: datetime | Date) -> datetime:
    if isinstance(moment, datetime):
        return moment.astimezone()
    return datetime(moment.year, moment.month, moment.day)


def time_of_day(moment: datetime, lang: str) -> str:
    """The local time: '14:05', '14.05' (Indonesian), '2:05 pm' (Hindi)."""
    data = _data(lang)
    return _format(data["time"], _local(moment), data)


def date(day: datetime | Date, lang: str, *, year: bool = True, weekday: bool = False) -> str:
    """A day (a datetime's local one): '5 Mar 2026', '5 Mar' (year=False), 'Thu 5 Mar'
    (weekday=True); '5 de mar. de 2026', '5. März 2026'."""
    data = _data(lang)
    name = ("weekday_" if weekday else "") + ("date" if year else "month_day")
    return _format(data["dates"][name], _local(day), data)


def month_day(day: datetime | Date, lang: str) -> str:
    """'5 Mar', '5 de mar.', '5. März'."""
    return date(day, lang, year=False)


def date_time(moment: datetime, lang: str, *, year: bool = True, weekday: bool = False) -> str:
    """The local date and time: '5 Mar 2026 14:05', '5 mar 2026, 14:05', 'Thu 5 Mar 14:05'."""
    glue = str(_data(lang)["date_time"])
    day = date(moment, lang, year=year, weekday=weekday)
    return glue.replace("{0}", time_of_day(moment, lang)).replace("{1}", day)


def weekday_time(moment: datetime, lang: str) -> str:
    """The local weekday and time, for the coming days: 'Thu 11:00', 'jue, 11:00'."""
    data = _data(lang)
    return _format(data["weekday_time"], _local(moment), data)


def clock(moment: datetime, lang: str, now: datetime | None = None) -> str:
    """The local time of day, with the date when it is not today: '14:05', '5 Mar 14:05'
    (and the year when it is not this year: '5 Mar 2025 14:05')."""
    local = moment.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    if local.date() == today:
        return time_of_day(local, lang)
    return date_time(local, lang, year=local.year != today.year)
