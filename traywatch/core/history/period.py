"""The time window of a history listing or report, from `--since 7d` or `--from/--to` dates.

`--since` takes a number and a unit (90m, 24h, 7d, 2w); `--from/--to` take local calendar days
(YYYY-MM-DD), both inclusive. Mistakes are a WindowError (exit 2) that says what is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from math import ceil

from traywatch.core.errors import TraywatchError
from traywatch.i18n import Decimal, Message, Template

_SINCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
_UNIT_S = {"m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_MAX_S = 20 * 366 * 86400
_AHEAD = timedelta(days=2)  # past any time zone's today
FIRST_DAY = date(1970, 1, 2)  # the first whole local day after the epoch, in every time zone


class WindowError(TraywatchError):
    """A --since / --from / --to value we cannot use (its argument is a Message)."""


BAD_SINCE = Template(
    "history.window.bad_since", "--since {typed}: use a number and a unit, such as 90m, 24h, 7d or 2w"
)
SINCE_RANGE = Template(
    "history.window.since_range", "--since {typed}: must be more than zero and at most 20 years"
)
BAD_DAY = Template(
    "history.window.bad_day", "{option} {typed}: use a date such as 2024-12-11 (year-month-day)"
)
DAY_TOO_OLD = Template(
    "history.window.day_too_old", "{option} {typed}: use a day from {first} on (nothing is older)"
)
SINCE_OR_DAYS = Template("history.window.since_or_days", "use either --since or --from/--to, not both")
TO_NEEDS_FROM = Template("history.window.to_needs_from", "--to needs --from (the first day of the report)")
TO_BEFORE_FROM = Template("history.window.to_before_from", "--to {end} is before --from {start}")
FROM_FUTURE = Template("history.window.from_future", "--from {start} is in the future")


# Window labels. Days are shown as YYYY-MM-DD in every language (unambiguous for an insurer).
_LAST = {
    "minute": Template("history.period.minutes", "the last minute", "the last {amount} minutes", count="n"),
    "hour": Template("history.period.hours", "the last hour", "the last {amount} hours", count="n"),
    "day": Template("history.period.days", "the last day", "the last {amount} days", count="n"),
    "week": Template("history.period.weeks", "the last week", "the last {amount} weeks", count="n"),
}
DAYS = Template("history.period.between", "{first} to {last}")
FROM_DAY = Template("history.period.from", "{first} until now")
UNTIL_NOW = Template("history.period.until_now", "{period} until now")


def last_label(amount: float, unit: str) -> Message:
    """'the last 7 days' (unit: minute, hour, day or week)."""
    if amount.is_integer():
        return _LAST[unit](amount=int(amount), n=int(amount))
    # a fraction is said with its decimals, and never in the singular form ("the last 1.5 days")
    return _LAST[unit](amount=Decimal(amount, len(f"{amount:g}".partition(".")[2])), n=max(2, ceil(amount)))


def days_label(first: date, last: date | None) -> Message:
    """'2024-12-01 to 2024-12-11', or '2024-12-01 until now' without a last day."""
    if last is None:
        return FROM_DAY(first=first.isoformat())
    return DAYS(first=first.isoformat(), last=last.isoformat())


def _until_now(label: str) -> str:
    if not isinstance(label, Message):  # a caller's own plain words, cut as before labels had codes
        return label if label.endswith("until now") else f"{label.split(' to ')[0]} until now"
    if label.code in (FROM_DAY.code, UNTIL_NOW.code):
        return label
    if label.code == DAYS.code:
        return FROM_DAY(first=label.params["first"])
    return UNTIL_NOW(period=label)


@dataclass(frozen=True)
class Window:
    since: datetime  # aware, UTC
    until: datetime
    label: str  # a Message: "the last 7 days", "2024-12-01 to 2024-12-11" (render() it)

    @property
    def seconds(self) -> float:
        return max(0.0, (self.until - self.since).total_seconds())

    def until_now(self, now: datetime) -> Window:
        """The window cut at `now` (time still to come is neither watched nor unwatched), its
        label then saying it runs "until now"; unchanged when it ends by `now`."""
        if self.until <= now:
            return self
        return Window(self.since, max(self.since, now), _until_now(self.label))


def parse_since(text: str, now: datetime) -> Window:
    match = _SINCE.match(text)
    if not match:
        raise WindowError(BAD_SINCE(typed=repr(text)))
    amount, unit = float(match.group(1)), match.group(2).lower()
    seconds = amount * _UNIT_S[unit]
    if not 0 < seconds <= _MAX_S:
        raise WindowError(SINCE_RANGE(typed=repr(text)))
    names = {"m": "minute", "min": "minute", "h": "hour", "d": "day", "w": "week"}
    return Window(now - timedelta(seconds=seconds), now, last_label(amount, names[unit]))


def parse_day(text: str, option: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise ValueError
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise WindowError(BAD_DAY(option=option, typed=repr(text))) from None
    if day < FIRST_DAY:
        raise WindowError(DAY_TOO_OLD(option=option, typed=repr(text), first=FIRST_DAY.isoformat()))
    return day


def local_midnight(day: date) -> datetime:
    """The start of a local calendar day, as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day).astimezone().astimezone(UTC)


def resolve(
    since: str | None, start: str | None, end: str | None, now: datetime, default: str = "7d"
) -> Window:
    """The window the options ask for; `default` applies when none is given."""
    if since is not None and (start is not None or end is not None):
        raise WindowError(SINCE_OR_DAYS())
    if start is None and end is None:
        return parse_since(since or default, now)
    if start is None:
        raise WindowError(TO_NEEDS_FROM())
    first = parse_day(start, "--from")
    last = parse_day(end, "--to") if end is not None else None
    if last is not None and last < first:
        raise WindowError(TO_BEFORE_FROM(end=str(end), start=start))
    if first > now.date() + _AHEAD:
        raise WindowError(FROM_FUTURE(start=start))
    if last is not None and last > now.date() + _AHEAD:
        last = None  # days to come hold nothing yet, up to the calendar's end: "until now"
    lo = local_midnight(first)
    hi = local_midnight(last + timedelta(days=1)) if last is not None else now
    if hi <= lo:
        raise WindowError(FROM_FUTURE(start=start))
    return Window(lo, hi, days_label(first, last)).until_now(now)
