"""The settings table: every key in it is read, its limits hold in the file and in the dialog."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import trustme

from traywatch.core.errors import ConfigError
from traywatch.core.settings.config import Config, parse_config
from traywatch.core.settings.form import SettingsValues, changes, problems, values_of
from traywatch.core.settings.table import BY_KEY, SETTINGS, limits

# A value unlike the default for every key of the table (paths are made per test).
OTHER: dict[str, Any] = {
    "check.interval": 120,
    "check.timeout": 5,
    "check.slow_ms": 2000,
    "check.confirm_delay": 30,
    "check.backoff_cap": 600,
    "services.disabled": ["threads"],
    "services.custom": [{"id": "shop", "name": "Shop", "targets": [{"url": "https://shop.example/"}]}],
    "network.nameservers": ["192.0.2.53"],
    "network.allow_local_addresses": True,
    "history.retention_days": 30,
    "notifications.enabled": False,
    "notifications.recovery": False,
    "notifications.kinds": ["internet_down"],
    "notifications.quiet_hours": "22:00-07:00",
    "official.enabled": False,
    "official.interval": 600,
    "official.base_url": "https://status.example",
    "account.enabled": False,
    "account.graph_base_url": "https://graph.example",
    "account.api_version": "v20.0",
    "account.interval": 900,
    "forward.enabled": False,
    "forward.urls": ["json://alerts.shop.example/traywatch"],
    "forward.quiet_hours": "23:00-06:00",
    "ui.language": "pt_BR",
}


def _paths(tmp_path: Path) -> dict[str, str]:
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    catalogue = tmp_path / "catalogue.toml"
    built_in = Path(__file__).parents[2] / "traywatch/core/catalogue.toml"
    catalogue.write_text(built_in.read_text("utf-8").replace('"Facebook"', '"Facebook (mine)"'), "utf-8")
    return {"network.ca_file": str(tmp_path / "ca.pem"), "catalogue.file": str(catalogue)}


def _without_raw(config: Config) -> tuple[Any, ...]:
    return (
        config.check,
        config.network,
        config.history,
        config.catalogue,
        config.official,
        config.account,
        config.forward,
        config.notifications,
        config.language,
    )


@pytest.mark.parametrize("dotted", [s.dotted for s in SETTINGS])
def test_every_key_in_the_table_is_read(dotted: str, tmp_path: Path) -> None:
    """A key nothing reads must not be accepted silently: each one changes the settings."""
    value = {**OTHER, **_paths(tmp_path)}[dotted]
    section, key = dotted.split(".")
    changed = parse_config({section: {key: value}}, "test", tmp_path)
    assert changed.warnings == ()
    assert _without_raw(changed) != _without_raw(parse_config({}, "test", tmp_path)), dotted


def test_the_table_covers_every_key_the_tests_set() -> None:
    assert set(OTHER) | {"network.ca_file", "catalogue.file"} == set(BY_KEY)


@pytest.mark.parametrize("spec", [s for s in SETTINGS if s.low is not None], ids=lambda s: s.dotted)
def test_numbers_are_held_to_the_table_limits(spec: Any) -> None:
    section, key = spec.section, spec.key
    assert spec.high is not None and spec.low is not None
    parse_config({section: {key: spec.high}}, "test")
    with pytest.raises(ConfigError, match=rf"test \[{spec.dotted}\]: must be between"):
        parse_config({section: {key: spec.high + 1}}, "test")
    with pytest.raises(ConfigError, match=rf"test \[{spec.dotted}\]: must be "):
        parse_config({section: {key: spec.low - 1}}, "test")
    with pytest.raises(ConfigError, match=rf"test \[{spec.dotted}\]: must be a number"):
        parse_config({section: {key: "soon"}}, "test")


def test_the_dialog_refuses_what_the_file_refuses() -> None:
    base = values_of(parse_config({}, "test"))
    low, high = limits("check.timeout")
    assert problems(_with(base, timeout_s=int(low)), ["facebook"]) == []
    assert [p.field for p in problems(_with(base, timeout_s=int(high) + 1), ["facebook"])] == ["timeout"]
    low, high = limits("history.retention_days")
    assert [p.field for p in problems(_with(base, retention_days=int(high) + 1), [])] == ["retention"]
    low, high = limits("check.interval")
    assert [p.field for p in problems(_with(base, interval_s=int(low) - 1), [])] == ["interval"]


def test_the_dialog_diff_names_table_keys() -> None:
    base = values_of(parse_config({}, "test"))
    new = _with(
        base,
        interval_s=90,
        timeout_s=9,
        notifications=False,
        recovery=False,
        quiet_hours="23:00-06:00",
        retention_days=10,
        account_enabled=False,
    ).with_service("threads", False)
    diff = changes(base, new)
    assert {f"{s}.{k}" for s, k in diff} <= set(BY_KEY)
    assert len(diff) == 8


def _with(values: SettingsValues, **kw: Any) -> SettingsValues:
    return replace(values, **kw)
