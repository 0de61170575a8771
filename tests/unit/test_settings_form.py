"""The settings dialog's values: read from a config, refused with a reason, changed keys only."""

from __future__ import annotations

from dataclasses import replace

from traywatch.core.settings.config import parse_config
from traywatch.core.settings.form import SettingsValues, changes, problems, values_of

IDS = ["facebook", "instagram", "whatsapp"]


def base() -> SettingsValues:
    return values_of(
        parse_config(
            {
                "check": {"interval": 60, "timeout": 8},
                "services": {"disabled": ["threads", "retired_service"]},
                "notifications": {"quiet_hours": "22:00-07:00"},
            },
            "test",
        )
    )


def test_values_come_from_the_file_including_ids_the_catalogue_no_longer_has() -> None:
    v = base()
    assert v.interval_s == 60 and v.timeout_s == 8
    assert v.disabled == ("threads", "retired_service")
    assert v.quiet_hours == "22:00-07:00" and v.retention_days == 90


def test_bad_values_are_refused_with_a_reason() -> None:
    v = base()
    found = problems(replace(v, interval_s=5), IDS)
    assert [p.field for p in found] == ["interval"]
    assert "at least 10 seconds" in found[0].message
    assert "between 1 and 60" in problems(replace(v, timeout_s=0), IDS)[0].message
    slow = problems(replace(v, interval_s=20, timeout_s=30), IDS)
    assert slow[0].field == "timeout" and "(20 s)" in slow[0].message
    none = replace(v, disabled=tuple(IDS))
    assert problems(none, IDS)[0].message == "Watch at least one service."
    assert "different times" in problems(replace(v, quiet_hours="07:00-07:00"), IDS)[0].message
    assert problems(replace(v, retention_days=0), IDS)[0].field == "retention"
    assert problems(v, IDS) == []


def test_changes_are_only_what_the_owner_changed_and_keep_unknown_ids() -> None:
    v = base()
    assert changes(v, v) == {}
    new = replace(v.with_service("instagram", False), interval_s=120, quiet_hours="")
    assert changes(v, new) == {
        ("check", "interval"): 120,
        ("services", "disabled"): ["threads", "retired_service", "instagram"],
        ("notifications", "quiet_hours"): "",
    }
    kinds = replace(v, kinds=frozenset({"meta_partial", "internet_down"}))
    assert changes(v, kinds) == {("notifications", "kinds"): ["internet_down", "meta_partial"]}


def test_the_language_is_read_from_the_config_and_saved_as_ui_language() -> None:
    old = values_of(parse_config({"ui": {"language": "es"}}, "test"))
    assert old.language == "es"
    assert changes(old, old) == {}
    assert changes(old, replace(old, language="pt_BR")) == {("ui", "language"): "pt_BR"}
    assert changes(old, replace(old, language="auto")) == {("ui", "language"): "auto"}
