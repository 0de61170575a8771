"""The time window of a history listing or report, from `--since 7d` or `--from/--to` dates.

`--since` takes a number and a unit (90m, 24h, 7d, 2w); `--from/--to` take local calendar days
(YYYY-MM-DD), both inclusive. Mistakes are a WindowError (exit 2) that says what is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from traywatch.core.errors import TraywatchError

_SINCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
_UNIT_S = {"m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_MAX_S = 20 * 366 * 86400
_AHEAD = timedelta(days=2)  # past any time zone's today
FIRST_DAY = date(1970, 1, 2)  # the first whole local day after the epoch, in every time zone


class WindowError(TraywatchError):
    """A --since / --from / --to value we cannot use."""


@dataclass(frozen=True)
class Window:
    since: datetime  # aware, UTC
    until: datetime
    label: str  # "the last 7 days", "1 to 11 December 2024"

    @property
    def seconds(self) -> float:
        return max(0.0, (self.until - self.since).total_seconds())

    def until_now(self, now: datetime) -> Window:
        """The window cut at `now` (time still to come is neither watched nor unwatched), its
        label then saying it runs "until now"; unchanged when it ends by `now`."""
        if self.until <= now:
            return self
        label = self.label if self.label.endswith("until now") else f"{self.label.split(' to ')[0]} until now"
        return Window(self.since, max(self.since, now), label)


def _plural(n: float, unit: str) -> str:
    text = f"{n:g}"
    return f"the last {unit}" if n == 1 else f"the last {text} {unit}s"


def parse_since(text: str, now: datetime) -> Window:
    match = _SINCE.match(text)
    if not match:
        raise WindowError(f"--since {text!r}: use a number and a unit, such as 90m, 24h, 7d or 2w")
    amount, unit = float(match.group(1)), match.group(2).lower()
    seconds = amount * _UNIT_S[unit]
    if not 0 < seconds <= _MAX_S:
        raise WindowError(f"--since {text!r}: must be more than zero and at most 20 years")
    names = {"m": "minute", "min": "minute", "h": "hour", "d": "day", "w": "week"}
    return Window(now - timedelta(seconds=seconds), now, _plural(amount, names[unit]))


def parse_day(text: str, option: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise ValueError
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise WindowError(f"{option} {text!r}: use a date such as 2024-12-11 (year-month-day)") from None
    if day < FIRST_DAY:
        raise WindowError(f"{option} {text!r}: use a day from {FIRST_DAY.isoformat()} on (nothing is older)")
    return day


def local_midnight(day: date) -> datetime:
    """The start of a local calendar day, as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day).astimezone().astimezone(UTC)


def resolve(
    since: str | None, start: str | None, end: str | None, now: datetime, default: str = "7d"
) -> Window:
    """The window the options ask for; `default` applies when none is given."""
    if since is not None and (start is not None or end is not None):
        raise WindowError("use either --since or --from/--to, not both")
    if start is None and end is None:
        return parse_since(since or default, now)
    if start is None:
        raise WindowError("--to needs --from (the first day of the report)")
    first = parse_day(start, "--from")
    last = parse_day(end, "--to") if end is not None else None
    if last is not None and last < first:
        raise WindowError(f"--to {end} is before --from {start}")
    if first > now.date() + _AHEAD:
        raise WindowError(f"--from {start} is in the future")
    if last is not None and last > now.date() + _AHEAD:
        last = None  # days to come hold nothing yet, up to the calendar's end: "until now"
    lo = local_midnight(first)
    hi = local_midnight(last + timedelta(days=1)) if last is not None else now
    if hi <= lo:
        raise WindowError(f"--from {start} is in the future")
    label = f"{first.isoformat()} to {last.isoformat()}" if last else f"{first.isoformat()} until now"
    return Window(lo, hi, label).until_now(now)
