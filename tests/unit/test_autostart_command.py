"""Which command the login item starts: frozen executable, this install's script, or python -m."""

from __future__ import annotations

import sys
from pathlib import Path

from traywatch.platform.autostart import autostart_command


def test_frozen_app_starts_its_own_executable(tmp_path: Path) -> None:
    exe = tmp_path / "traywatch" / "traywatch"
    assert autostart_command(frozen=True, executable=str(exe)) == [str(exe)]


def test_pip_install_starts_the_script_next_to_the_interpreter(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "traywatch").write_text("#!/bin/sh\n")
    python = tmp_path / "bin" / "python3"
    assert autostart_command(frozen=False, executable=str(python), which=lambda _: "/usr/bin/traywatch") == [
        str(tmp_path / "bin" / "traywatch")
    ]


def test_frozen_console_exe_on_windows_starts_the_windowed_one_beside_it(tmp_path: Path) -> None:
    (tmp_path / "traywatch.exe").write_text("")
    cli = tmp_path / "traywatch-cli.exe"
    command = autostart_command(frozen=True, executable=str(cli), platform="win32")
    assert command == [str(tmp_path / "traywatch.exe")]


def test_windows_pip_install_starts_the_gui_script_from_scripts(tmp_path: Path) -> None:
    """pip puts scripts in Scripts/, not beside python.exe; the console one would open a window."""
    scripts = tmp_path / "Scripts"
    scripts.mkdir()
    (scripts / "traywatch.exe").write_text("")  # console script: never at login
    (scripts / "traywatchw.exe").write_text("")  # the gui-scripts entry
    python = tmp_path / "python.exe"
    command = autostart_command(
        frozen=False, executable=str(python), platform="win32", which=lambda _: None, scripts_dir=str(scripts)
    )
    assert command == [str(scripts / "traywatchw.exe")]


def test_windows_never_falls_back_to_a_console_python(tmp_path: Path) -> None:
    (tmp_path / "python.exe").write_text("")
    (tmp_path / "pythonw.exe").write_text("")
    (tmp_path / "traywatch.exe").write_text("")
    command = autostart_command(
        frozen=False,
        executable=str(tmp_path / "python.exe"),
        platform="win32",
        which=lambda name: str(tmp_path / "traywatch.exe") if name == "traywatch" else None,
        scripts_dir=str(tmp_path / "Scripts"),
    )
    assert command == [str(tmp_path / "pythonw.exe"), "-m", "traywatch"]


def test_otherwise_the_script_on_path(tmp_path: Path) -> None:
    python = tmp_path / "python3"
    command = autostart_command(
        frozen=False, executable=str(python), which=lambda _: "/usr/local/bin/traywatch"
    )
    assert command == ["/usr/local/bin/traywatch"]


def test_last_resort_is_python_dash_m(tmp_path: Path) -> None:
    python = tmp_path / "python3"
    command = autostart_command(frozen=False, executable=str(python), which=lambda _: None)
    assert command == [str(python), "-m", "traywatch"]


def test_default_is_an_absolute_command_for_this_interpreter() -> None:
    command = autostart_command()
    assert Path(command[0]).is_absolute()
    assert getattr(sys, "frozen", False) or command[0] != "traywatch"
