"""`[notifications]`: kinds (recoveries follow their kind), quiet hours (crossing midnight), mistakes."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from traywatch.core.errors import ConfigError
from traywatch.core.models import AlertKind
from traywatch.core.notify.settings import KINDS, NotificationSettings, QuietHours, parse_quiet_hours
from traywatch.core.settings.config import parse_config


def settings(**section: object) -> NotificationSettings:
    return parse_config({"notifications": section}, "test").notifications


def test_defaults_notify_every_kind_and_recoveries_without_quiet_hours() -> None:
    s = settings()
    assert s.kinds == frozenset(KINDS) and s.recovery and s.enabled and s.quiet_hours is None
    assert all(s.allows(kind) for kind in AlertKind)


def test_a_recovery_follows_the_kind_it_ends() -> None:
    s = settings(kinds=["internet_down", "meta_partial"])
    assert s.allows(AlertKind.INTERNET_RESTORED)
    assert not s.allows(AlertKind.NETWORK_LIMITED) and not s.allows(AlertKind.NETWORK_RESTORED)
    assert not s.allows(AlertKind.META_DOWN) and s.allows(AlertKind.META_RECOVERED)
    assert not settings(recovery=False).allows(AlertKind.META_RECOVERED)
    assert not any(settings(enabled=False).allows(kind) for kind in AlertKind)


def test_quiet_hours_across_midnight() -> None:
    quiet = parse_quiet_hours("22:00-07:00")
    assert quiet == QuietHours(time(22), time(7))
    assert quiet.contains(datetime(2026, 3, 5, 23, 30)) and quiet.contains(datetime(2026, 3, 6, 6, 59))
    assert not quiet.contains(datetime(2026, 3, 6, 7, 0)) and not quiet.contains(datetime(2026, 3, 5, 21, 59))
    assert quiet.next_end(datetime(2026, 3, 5, 23, 0)) == datetime(2026, 3, 6, 7, 0)
    assert quiet.next_end(datetime(2026, 3, 6, 1, 0)) == datetime(2026, 3, 6, 7, 0)
    day = parse_quiet_hours(" 12:30 - 13:15 ")
    assert day is not None and day.contains(datetime(2026, 1, 1, 13, 0)) and day.text == "12:30-13:15"
    assert parse_quiet_hours("") is None


@pytest.mark.parametrize(
    ("section", "reason"),
    [
        ({"quiet_hours": "10pm-7am"}, "22:00-07:00"),
        ({"quiet_hours": "25:00-07:00"}, "not a time of day"),
        ({"quiet_hours": "07:00-07:00"}, "different times"),
        ({"quiet_hours": 22}, "must be a string"),
        ({"kinds": ["meta_down", "everything"]}, "unknown kind 'everything'"),
        ({"kinds": "meta_down"}, "must be a list"),
        ({"recovery": "yes"}, "true or false"),
    ],
)
def test_mistakes_name_the_key_and_the_reason(section: dict[str, object], reason: str) -> None:
    with pytest.raises(ConfigError, match=reason) as caught:
        parse_config({"notifications": section}, "config.toml")
    assert "notifications." in str(caught.value)
