"""The `[notifications]` section as a frozen value: on/off, recoveries, which kinds, quiet hours.

`kinds` lists the alert kinds that notify (`internet_down`, `network_limited`, `meta_down`,
`meta_partial`); a recovery follows the kind it ends, and `recovery = false` silences them all.
`quiet_hours = "22:00-07:00"` (local time; may cross midnight; "" for none) holds notifications
back; the policy that uses this lives in the UI's Notifier.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from traywatch.core.errors import ConfigError, message_of
from traywatch.core.models import Alert, AlertKind
from traywatch.core.settings.table import flag, setting
from traywatch.i18n import Template

# The kinds an owner can switch, in the order the settings dialog shows them.
KINDS: tuple[str, ...] = (
    AlertKind.INTERNET_DOWN.value,
    AlertKind.NETWORK_LIMITED.value,
    AlertKind.META_DOWN.value,
    AlertKind.META_PARTIAL.value,
)
KIND_LABELS: dict[str, str] = {
    AlertKind.INTERNET_DOWN.value: "Your internet goes down",
    AlertKind.NETWORK_LIMITED.value: "Your network limits the internet (sign-in page, filter)",
    AlertKind.META_DOWN.value: "Meta is down (most services at once)",
    AlertKind.META_PARTIAL.value: "Some Meta services are down",
}
# A recovery is told when the kind it ends is told.
_RECOVERY_OF: dict[AlertKind, tuple[str, ...]] = {
    AlertKind.INTERNET_RESTORED: (AlertKind.INTERNET_DOWN.value,),
    AlertKind.NETWORK_RESTORED: (AlertKind.NETWORK_LIMITED.value,),
    AlertKind.META_RECOVERED: (AlertKind.META_DOWN.value, AlertKind.META_PARTIAL.value),
}
_QUIET = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# `{value}` is what was written, quoted as Python writes it.
TWO_TIMES = Template("config.two_times", 'use two times such as "22:00-07:00", not {value}')
NOT_TIME_OF_DAY = Template("config.not_time_of_day", "{value} is not a time of day (00:00 to 23:59)")
SAME_TIMES = Template("config.same_times", "they must start and end at different times")
QUIET_STRING = Template("config.quiet_string", 'must be a string such as "22:00-07:00"')
KINDS_LIST = Template("config.kinds_list", "must be a list such as {kinds}")
UNKNOWN_KIND = Template("config.unknown_kind", "unknown kind {kind} (use any of: {kinds})")


@dataclass(frozen=True)
class QuietHours:
    """A daily stretch of local time, e.g. 22:00 to 07:00 (crossing midnight is fine)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ValueError(SAME_TIMES())

    @property
    def text(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def contains(self, moment: datetime) -> bool:
        """Whether this moment (aware: taken in local time; naive: as local time) is quiet."""
        now = _local(moment).time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end

    def next_end(self, moment: datetime) -> datetime:
        """The first end of quiet hours after `moment` (local, same awareness as the input)."""
        local = _local(moment)
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        return end if end > local else end + timedelta(days=1)


def _local(moment: datetime) -> datetime:
    return moment.astimezone() if moment.tzinfo is not None else moment


def parse_quiet_hours(text: str) -> QuietHours | None:
    """'22:00-07:00' -> QuietHours; '' -> None; ValueError with a reason for anything else."""
    if not text.strip():
        return None
    match = _QUIET.match(text)
    if not match:
        raise ValueError(TWO_TIMES(value=repr(text)))
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60):
        raise ValueError(NOT_TIME_OF_DAY(value=repr(text)))
    return QuietHours(time(h1, m1), time(h2, m2))  # ValueError when both are the same


@dataclass(frozen=True)
class NotificationSettings:
    enabled: bool = setting("notifications.enabled").default
    recovery: bool = setting("notifications.recovery").default
    kinds: frozenset[str] = field(default_factory=lambda: frozenset(KINDS))
    quiet_hours: QuietHours | None = None

    def allows(self, kind: AlertKind) -> bool:
        """Whether alerts of this kind may notify (before pause and quiet hours)."""
        if not self.enabled:
            return False
        if kind in _RECOVERY_OF:
            return self.recovery and any(k in self.kinds for k in _RECOVERY_OF[kind])
        return kind.value in self.kinds


class KindChoice:
    """The per-kind choice applied to a stream of alerts, for one channel (desktop notifications,
    forwarding): only the chosen kinds, and a Meta recovery only for services whose outage was
    told (its kind may have been switched off)."""

    def __init__(self) -> None:
        self._untold: set[str] = set()  # services whose going down was not told

    def choose(self, alerts: Sequence[Alert], settings: NotificationSettings) -> list[Alert]:
        kept = []
        for alert in alerts:
            if alert.kind in (AlertKind.META_DOWN, AlertKind.META_PARTIAL):
                if settings.allows(alert.kind):
                    self._untold.difference_update(alert.services)
                    kept.append(alert)
                else:
                    self._untold.update(alert.services)
            elif alert.kind is AlertKind.META_RECOVERED:
                told = set(alert.services) - self._untold
                self._untold.difference_update(alert.services)
                if told and settings.allows(alert.kind):
                    kept.append(alert)
            elif settings.allows(alert.kind):
                kept.append(alert)
        return kept


def parse_quiet_field(section: dict[str, Any], where: str) -> QuietHours | None:
    """`quiet_hours` of a section; `where` names it in messages ("config.toml [forward.quiet_hours]")."""
    text = section.get("quiet_hours", "")
    if not isinstance(text, str):
        raise ConfigError(where, QUIET_STRING())
    try:
        return parse_quiet_hours(text)
    except ValueError as exc:
        raise ConfigError(where, message_of(exc)) from None


def parse_notifications(section: dict[str, Any], where: str) -> NotificationSettings:
    """Validate `[notifications]`; mistakes are a ConfigError naming the key."""
    flags = {key: flag(section, f"notifications.{key}", where) for key in ("enabled", "recovery")}
    kinds = section.get("kinds", list(KINDS))
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise ConfigError(f"{where} [notifications.kinds]", KINDS_LIST(kinds=repr(list(KINDS))))
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ConfigError(
            f"{where} [notifications.kinds]", UNKNOWN_KIND(kind=repr(unknown[0]), kinds=", ".join(KINDS))
        )
    quiet = parse_quiet_field(section, f"{where} [notifications.quiet_hours]")
    return NotificationSettings(flags["enabled"], flags["recovery"], frozenset(kinds), quiet)
