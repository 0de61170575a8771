"""`traywatch --self-check` from the sources: a readable report and exit 0, whatever is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.selfcheck_report import parse_report
from traywatch import __version__
from traywatch.selfcheck import qt_platform_choice

DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS")


def self_check(
    home: Path, extra_env: dict[str, str] | None = None, code: str | None = None
) -> tuple[int, dict[str, str], str]:
    env = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARS and k != "PYTHON_KEYRING_BACKEND"}
    env |= {"TRAYWATCH_HOME": str(home), "XDG_CONFIG_HOME": str(home / "xdg")} | (extra_env or {})
    args = ["-c", code] if code else ["-m", "traywatch", "--self-check"]
    result = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=60, cwd=home.parent
    )
    report = parse_report(result.stdout) if result.stdout else {}
    return result.returncode, report, result.stderr


def test_offscreen_report_lists_folders_keyring_qt_and_tray(traywatch_home: Path) -> None:
    code, report, stderr = self_check(traywatch_home, {"QT_QPA_PLATFORM": "offscreen"})
    assert code == 0, stderr
    assert report["folders"] == f"chosen by TRAYWATCH_HOME={traywatch_home}"
    assert report["config folder"].startswith(str(traywatch_home / "config"))
    assert report["config file"] == f"{traywatch_home / 'config' / 'config.toml'} (none: defaults are used)"
    assert report["data folder"].startswith(str(traywatch_home / "data"))
    assert report["frozen"].startswith("no")
    assert report["Qt"].startswith("6.")
    assert report["Qt platform"] == "offscreen"
    assert report["system tray"].startswith("no")
    assert report["Qt text"].endswith("ok")
    assert report["keyring"].startswith("none: ")
    assert "SecretService" in report["keyring"]  # why the native backend is unusable: no D-Bus
    assert "SecretService" in report["keyring backends"]
    assert (
        report["start at login"] == f"disabled ({traywatch_home / 'xdg' / 'autostart' / 'traywatch.desktop'})"
    )
    assert Path(report["login command"].split()[0]).is_absolute()


def test_without_any_display_it_falls_back_to_offscreen(traywatch_home: Path) -> None:
    code, report, stderr = self_check(traywatch_home)
    assert code == 0, stderr
    assert report["Qt platform"] == "offscreen"


def test_a_display_that_cannot_be_reached_is_reported_not_fatal(traywatch_home: Path) -> None:
    code, report, stderr = self_check(traywatch_home, {"DISPLAY": ":987"})
    assert code == 0, stderr
    assert report["Qt platform"] == "offscreen (tried: xcb;offscreen)"
    assert report["system tray"].startswith("no")


def test_without_pyside6_it_says_so_and_still_exits_0(traywatch_home: Path) -> None:
    hide_pyside6 = (
        "import sys; sys.modules['PySide6'] = None; "
        "from traywatch.cli import main; sys.exit(main(['--self-check']))"
    )
    code, report, stderr = self_check(traywatch_home, code=hide_pyside6)
    assert code == 0, stderr
    assert report["Qt"].startswith("not available: PySide6 is not installed")
    assert report["system tray"].startswith("no (no Qt)")
    assert report["tray UI"].startswith("NOT importable")
    assert report["keyring"]  # the rest of the report is still there


def test_an_invalid_config_file_is_named_in_the_report(traywatch_home: Path) -> None:
    (traywatch_home / "config").mkdir(parents=True)
    (traywatch_home / "config" / "config.toml").write_text("[check]\ninterval = 'soon'\n")
    code, report, stderr = self_check(traywatch_home, {"QT_QPA_PLATFORM": "offscreen"})
    assert code == 0, stderr
    assert "INVALID" in report["config file"] and "interval" in report["config file"]


def test_an_enabled_login_item_is_reported(traywatch_home: Path) -> None:
    autostart = traywatch_home / "xdg" / "autostart"
    autostart.mkdir(parents=True)
    (autostart / "traywatch.desktop").write_text("[Desktop Entry]\nType=Application\nExec=traywatch\n")
    code, report, stderr = self_check(traywatch_home, {"QT_QPA_PLATFORM": "offscreen"})
    assert code == 0, stderr
    assert report["start at login"].startswith("enabled")


def test_the_report_header_names_the_version(traywatch_home: Path) -> None:
    env = {**os.environ, "TRAYWATCH_HOME": str(traywatch_home), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "traywatch", "--self-check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.splitlines()[0] == f"traywatch {__version__} self-check"


@pytest.mark.parametrize(
    ("environ", "platform", "choice"),
    [
        ({}, "linux", "offscreen"),
        ({"DISPLAY": ":0"}, "linux", "xcb;offscreen"),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "linux", "wayland;xcb;offscreen"),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", "offscreen"),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", "xcb;offscreen"),
        ({}, "darwin", None),
        ({}, "win32", None),
        ({"QT_QPA_PLATFORM": "minimal"}, "win32", "minimal;offscreen"),
    ],
)
def test_platform_choice_always_ends_in_a_fallback(
    environ: dict[str, str], platform: str, choice: str | None
) -> None:
    assert qt_platform_choice(environ, platform) == choice
