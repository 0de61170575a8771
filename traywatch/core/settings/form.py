"""What the settings dialog edits, as a frozen value: read from a Config, checked with reasons an
owner understands, and turned into the config-file changes that differ from what was loaded.

No Qt here: the dialog only shows these values and these reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from traywatch.core.notify.settings import KINDS, parse_quiet_hours
from traywatch.core.settings.config import Config
from traywatch.core.settings.config_file import Changes
from traywatch.core.settings.table import BY_KEY, limits
from traywatch.i18n import Template

# The dialog's limits are the config file's (traywatch.core.settings.table), as whole numbers.
MIN_INTERVAL_S, MAX_INTERVAL_S = (round(n) for n in limits("check.interval"))
MIN_TIMEOUT_S, MAX_TIMEOUT_S = (round(n) for n in limits("check.timeout"))
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = (round(n) for n in limits("history.retention_days"))

# Each field of SettingsValues, and the config-file key it is saved as.
FIELD_KEYS: dict[str, str] = {
    "interval_s": "check.interval",
    "timeout_s": "check.timeout",
    "disabled": "services.disabled",
    "notifications": "notifications.enabled",
    "recovery": "notifications.recovery",
    "kinds": "notifications.kinds",
    "quiet_hours": "notifications.quiet_hours",
    "retention_days": "history.retention_days",
    "account_enabled": "account.enabled",
    "language": "ui.language",
}


@dataclass(frozen=True)
class Problem:
    """A value the dialog refuses: which field, and why (one sentence)."""

    field: str
    message: str  # a Message from the core; the dialog renders it


@dataclass(frozen=True)
class SettingsValues:
    interval_s: int
    timeout_s: int
    disabled: tuple[str, ...]  # service ids switched off, including ones the catalogue no longer has
    notifications: bool
    recovery: bool
    kinds: frozenset[str]
    quiet_hours: str  # "22:00-07:00", or "" for none
    retention_days: int
    account_enabled: bool
    language: str = "auto"  # "auto" (the system's) or a code of traywatch.i18n.LANGUAGES

    def watched(self, service_ids: Sequence[str]) -> list[str]:
        return [sid for sid in service_ids if sid not in self.disabled]

    def with_service(self, service_id: str, watched: bool) -> SettingsValues:
        """Switch one service on or off (the owner's order of the others is kept)."""
        if watched:
            return replace(self, disabled=tuple(d for d in self.disabled if d != service_id))
        if service_id in self.disabled:
            return self
        return replace(self, disabled=(*self.disabled, service_id))


def values_of(config: Config) -> SettingsValues:
    """The dialog's starting values: what the config file says (defaults where it is silent)."""
    services = config.raw.get("services", {})
    disabled = services.get("disabled", []) if isinstance(services, dict) else []
    note = config.notifications
    return SettingsValues(
        interval_s=round(config.check.interval_s),
        timeout_s=round(config.check.timeout_s),
        disabled=tuple(d for d in disabled if isinstance(d, str)),
        notifications=note.enabled,
        recovery=note.recovery,
        kinds=note.kinds,
        quiet_hours=note.quiet_hours.text if note.quiet_hours else "",
        retention_days=config.history.retention_days,
        account_enabled=config.account.enabled,
        language=config.language,
    )


INTERVAL_TOO_SHORT = Template(
    "settings.interval_too_short",
    "Checks must be at least {seconds} seconds apart "
    "(fewer requests keep Meta's servers and your data plan calm).",
)
INTERVAL_TOO_LONG = Template(
    "settings.interval_too_long", "Check at least once a day (at most {seconds} seconds)."
)
TIMEOUT_OUTSIDE = Template("settings.timeout_outside", "A check may take between {low} and {high} seconds.")
TIMEOUT_OVER_INTERVAL = Template(
    "settings.timeout_over_interval",
    "A check may take at most as long as the time between checks ({seconds} s).",
)
WATCH_ONE = Template("settings.watch_one", "Watch at least one service.")
QUIET_HOURS_WRONG = Template("settings.quiet_hours_wrong", "Quiet hours: {problem}.")
RETENTION_OUTSIDE = Template(
    "settings.retention_outside", "Keep the detailed history between {low} and {high} days."
)


def _said(exc: ValueError) -> str:
    """The reason a ValueError carries: its message (a Message when the core made it)."""
    return exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else str(exc)


def problems(values: SettingsValues, service_ids: Sequence[str]) -> list[Problem]:
    """Everything wrong with the values, in the order the dialog shows its fields."""
    found: list[Problem] = []
    if values.interval_s < MIN_INTERVAL_S:
        found.append(Problem("interval", INTERVAL_TOO_SHORT(seconds=str(MIN_INTERVAL_S))))
    elif values.interval_s > MAX_INTERVAL_S:
        found.append(Problem("interval", INTERVAL_TOO_LONG(seconds=str(MAX_INTERVAL_S))))
    if not MIN_TIMEOUT_S <= values.timeout_s <= MAX_TIMEOUT_S:
        found.append(Problem("timeout", TIMEOUT_OUTSIDE(low=str(MIN_TIMEOUT_S), high=str(MAX_TIMEOUT_S))))
    elif values.timeout_s > values.interval_s >= MIN_INTERVAL_S:
        found.append(Problem("timeout", TIMEOUT_OVER_INTERVAL(seconds=str(values.interval_s))))
    if service_ids and not values.watched(service_ids):
        found.append(Problem("services", WATCH_ONE()))
    try:
        parse_quiet_hours(values.quiet_hours)
    except ValueError as exc:
        found.append(Problem("quiet_hours", QUIET_HOURS_WRONG(problem=_said(exc))))
    if not MIN_RETENTION_DAYS <= values.retention_days <= MAX_RETENTION_DAYS:
        found.append(
            Problem("retention", RETENTION_OUTSIDE(low=str(MIN_RETENTION_DAYS), high=str(MAX_RETENTION_DAYS)))
        )
    return found


def changes(old: SettingsValues, new: SettingsValues) -> Changes:
    """Only what the owner changed, as config-file keys (the rest of the file stays as it is)."""
    out: dict[tuple[str, str], Any] = {}
    for name, dotted in FIELD_KEYS.items():
        value = getattr(new, name)
        if value == getattr(old, name):
            continue
        spec = BY_KEY[dotted]
        out[spec.section, spec.key] = _file_value(name, value)
    return out


def _file_value(name: str, value: Any) -> Any:
    """A field's value as the config file writes it."""
    if name == "kinds":
        return [k for k in KINDS if k in value]  # the dialog's order, not a set's
    if name == "disabled":
        return list(value)
    return value
