"""The watching machine assembled once from a Config, for the tray and for `watch`: settings read
in the core, the parts wired in order, the headless policy feeding the forwarding hooks, and the
layering (the core needs neither Qt nor the CLI; the tray app no longer imports the CLI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from traywatch.core.errors import ConfigError
from traywatch.core.history import Recorder
from traywatch.core.paths import app_paths
from traywatch.core.settings.config import parse_config
from traywatch.core.watch.assembly import Machine, assemble, config_file, load_settings

QUIET = {"official": {"enabled": False}, "account": {"enabled": False}}


def test_settings_come_from_the_named_file_with_the_command_lines_interval(tmp_path: Path) -> None:
    named = tmp_path / "mine.toml"
    named.write_text("[check]\ninterval = 120\ntimeout = 5\n", "utf-8")
    paths, config = load_settings(named, interval_s=7)
    assert config.check.interval_s == 7 and config.check.timeout_s == 5
    assert config_file(named, paths) == named
    assert config_file(None, paths) == paths.config_file == app_paths().config_file


def test_a_named_file_must_exist_but_the_default_one_may_be_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_settings(tmp_path / "missing.toml")
    _, config = load_settings(None)
    assert config.check.interval_s == 60


def build(tmp_path: Path, **kw: object) -> Machine:
    config = parse_config(QUIET, "test")
    return assemble(config, tmp_path / "history.sqlite3", **kw)  # type: ignore[arg-type]


def test_the_machine_is_wired_once_listeners_then_the_recorder_then_the_forwarder(tmp_path: Path) -> None:
    heard: list[object] = []
    machine = build(tmp_path, listeners=[heard.append])
    try:
        assert machine.watcher.engine is machine.engine and machine.watcher.monitor is machine.monitor
        assert machine.watcher.scheduler.monitor is machine.monitor
        assert machine.engine.config is machine.config
        assert machine.watcher.listeners[0] == heard.append
        assert (
            isinstance(machine.watcher.listeners[1], Recorder)
            and machine.recorder is machine.watcher.listeners[1]
        )
        assert machine.watcher.listeners[2] == machine.forwarder.handle
        assert len(machine.watcher.listeners) == 3  # the tray brings its notifier itself
    finally:
        machine.engine.close()


def test_start_opens_the_history_and_close_ends_its_session(tmp_path: Path) -> None:
    machine = build(tmp_path)
    machine.start()
    assert machine.recorder.settle()  # the recorder opens the file in its own writer thread
    assert (tmp_path / "history.sqlite3").exists()
    with Recorder(tmp_path / "history.sqlite3", interval_s=60) as second:
        second.settle()
        assert second.disabled  # the machine's recorder holds the history
    machine.close()
    with Recorder(tmp_path / "history.sqlite3", interval_s=60) as third:
        third.settle()
        assert not third.disabled  # released at close


def test_the_forwarder_hears_every_round_after_the_recorder(tmp_path: Path) -> None:
    machine = build(tmp_path)
    try:
        chain = machine.watcher.listeners
        assert chain[-2] is machine.recorder and chain[-1] == machine.forwarder.handle
    finally:
        machine.engine.close()


def imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return set(out.split())


def test_the_core_parts_need_neither_qt_nor_the_cli() -> None:
    for module in (
        "traywatch.core.watch.assembly",
        "traywatch.core.watch.scheduler",
        "traywatch.core.notify.policy",
    ):
        loaded = imported_after(module)
        assert not {m for m in loaded if m.startswith(("PySide6", "traywatch.ui", "traywatch.commands"))}


def test_the_tray_app_does_not_import_the_cli_package() -> None:
    loaded = imported_after("traywatch.ui.app")
    assert "PySide6" in loaded  # the real app module was imported
    assert not {m for m in loaded if m.startswith("traywatch.commands")}
