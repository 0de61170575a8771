"""Writing the config file: only changed keys, comments and unknown keys kept, validated before
writing, atomic with a .bak, and never over a file that is not valid TOML."""

from __future__ import annotations

import os
import stat
import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from traywatch.core.errors import ConfigError
from traywatch.core.settings.config import load_config
from traywatch.core.settings.config_file import (
    HEADER,
    REMOVE,
    ConfigFileBroken,
    apply_changes,
    read_document,
    save,
    start_fresh,
)

OWNER_TEXT = """\
# My shop's traywatch settings -- written by hand
[check]
interval = 60   # once a minute is plenty
timeout = 8

# Threads: we do not sell there
[services]
disabled = ["threads"]  # keep this comment

[my_own_notes]
colour = "blue"   # unknown to traywatch, must survive
"""


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "config" / "config.toml"
    p.parent.mkdir()
    p.write_text(OWNER_TEXT, "utf-8")
    return p


def test_only_changed_keys_change_and_comments_and_unknown_keys_stay(path: Path) -> None:
    saved = save(path, {("check", "interval"): 120, ("notifications", "quiet_hours"): "22:00-07:00"})
    text = path.read_text("utf-8")
    assert "interval = 120   # once a minute is plenty" in text
    assert "# My shop's traywatch settings -- written by hand" in text
    assert 'disabled = ["threads"]  # keep this comment' in text
    assert 'colour = "blue"   # unknown to traywatch, must survive' in text
    assert "timeout = 8\n" in text
    assert '[notifications]\nquiet_hours = "22:00-07:00"' in text
    assert saved.changed and saved.config.check.interval_s == 120
    assert saved.config.notifications.quiet_hours is not None
    assert load_config(path).check.interval_s == 120  # what the app will read back


def test_previous_file_is_kept_as_bak_and_no_temporary_file_is_left(path: Path) -> None:
    os.chmod(path, 0o640)
    saved = save(path, {("check", "timeout"): 5})
    assert saved.backup == path.with_name("config.toml.bak")
    assert saved.backup.read_text("utf-8") == OWNER_TEXT
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml", "config.toml.bak"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # the owner's permissions stay


def test_invalid_result_is_refused_before_anything_is_written(path: Path) -> None:
    with pytest.raises(ConfigError, match="at least 10 seconds"):
        save(path, {("check", "interval"): 5})
    assert path.read_text("utf-8") == OWNER_TEXT
    assert not path.with_name("config.toml.bak").exists()


def test_a_value_broken_elsewhere_in_the_file_is_refused_too(path: Path) -> None:
    path.write_text(OWNER_TEXT.replace("timeout = 8", "timeout = 900"), "utf-8")
    with pytest.raises(ConfigError, match="timeout"):
        save(path, {("check", "interval"): 120})
    assert "interval = 60" in path.read_text("utf-8")


def test_unchanged_values_write_nothing(path: Path) -> None:
    saved = save(path, {("check", "interval"): 60, ("services", "disabled"): ["threads"]})
    assert not saved.changed
    assert not path.with_name("config.toml.bak").exists()


def test_missing_file_gets_a_short_header_and_the_values(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    saved = save(path, {("history", "retention_days"): 30})
    text = path.read_text("utf-8")
    assert text.startswith(HEADER)
    assert tomllib.loads(text) == {"history": {"retention_days": 30}}
    assert saved.backup is None


def test_remove_deletes_a_key_so_the_default_applies_again(path: Path) -> None:
    save(path, {("services", "disabled"): REMOVE})
    assert "disabled" not in path.read_text("utf-8")
    assert "threads" in {s.id for s in load_config(path).catalogue.services}


def test_dotted_and_inline_tables_are_edited_in_place(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("check.interval = 60  # dotted\nnotifications = { enabled = true }\n", "utf-8")
    save(path, {("check", "timeout"): 9, ("notifications", "recovery"): False})
    data = tomllib.loads(path.read_text("utf-8"))
    assert data == {
        "check": {"interval": 60, "timeout": 9},
        "notifications": {"enabled": True, "recovery": False},
    }
    assert "# dotted" in path.read_text("utf-8")


def test_broken_toml_is_never_overwritten(path: Path) -> None:
    broken = "[check\ninterval = 60\n"
    path.write_text(broken, "utf-8")
    with pytest.raises(ConfigFileBroken, match="not valid TOML"):
        read_document(path)
    with pytest.raises(ConfigFileBroken):
        save(path, {("check", "interval"): 120})
    assert path.read_text("utf-8") == broken


def test_starting_fresh_moves_the_broken_file_aside_then_saving_works(path: Path) -> None:
    path.write_text("[check\n", "utf-8")
    moved = start_fresh(path, now=datetime(2026, 3, 5, 14, 3, 9))
    assert moved == path.with_name("config.toml.broken-20260305-140309")
    assert moved.read_text("utf-8") == "[check\n"
    assert not path.exists()
    save(path, {("check", "interval"): 90})
    assert load_config(path).check.interval_s == 90
    assert start_fresh(path.with_name("absent.toml")) is None


def test_apply_changes_does_not_touch_the_callers_document(path: Path) -> None:
    doc = read_document(path)
    before = doc.as_string()
    apply_changes(doc, {("check", "interval"): 300})
    assert doc.as_string() == before


def test_a_section_that_is_not_a_table_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('check = "fast"\n', "utf-8")
    with pytest.raises(ConfigError, match="not a table"):
        save(path, {("check", "interval"): 60})
