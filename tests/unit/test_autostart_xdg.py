"""Start at login on Linux: a real autostart file under a temporary XDG_CONFIG_HOME."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from traywatch.platform.autostart import AutostartError, XdgAutostart, pick
from traywatch.platform.autostart.xdg import config_home, exec_line, quote_exec_argument


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text("utf-8"))
    return parser["Desktop Entry"]


@pytest.fixture
def xdg_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config


def test_enable_writes_the_autostart_file_and_disable_removes_it(xdg_home: Path) -> None:
    entry = XdgAutostart()
    assert not entry.is_enabled()
    entry.enable(["/opt/traywatch/traywatch"])
    path = xdg_home / "autostart" / "traywatch.desktop"
    assert entry.location == str(path)
    assert path.is_file()
    assert entry.is_enabled()
    keys = read_entry(path)
    assert keys["Type"] == "Application"
    assert keys["Exec"] == "/opt/traywatch/traywatch"
    assert keys["TryExec"] == "/opt/traywatch/traywatch"
    assert keys["Icon"] == "traywatch"
    assert keys["X-GNOME-Autostart-enabled"] == "true"
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind

    entry.disable()
    assert not path.exists()
    assert not entry.is_enabled()
    entry.disable()  # disabling twice is not an error


def test_enable_replaces_an_older_entry(xdg_home: Path) -> None:
    entry = XdgAutostart()
    entry.enable(["/old/traywatch"])
    entry.enable(["/new/traywatch", "--show", "history"])
    assert read_entry(xdg_home / "autostart" / "traywatch.desktop")["Exec"] == "/new/traywatch --show history"


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None, reason="apt-get install desktop-file-utils"
)
def test_written_entry_passes_desktop_file_validate(xdg_home: Path) -> None:
    XdgAutostart().enable(["/opt/my apps/traywatch", "--interval", "30"])
    path = xdg_home / "autostart" / "traywatch.desktop"
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""  # no warnings either


@pytest.mark.parametrize(
    ("switch_off", "expected"),
    [("Hidden=true", False), ("X-GNOME-Autostart-enabled=false", False), ("Hidden=false", True)],
)
def test_desktop_settings_that_switch_the_entry_off_count_as_disabled(
    xdg_home: Path, switch_off: str, expected: bool
) -> None:
    entry = XdgAutostart()
    entry.enable(["/opt/traywatch/traywatch"])
    path = xdg_home / "autostart" / "traywatch.desktop"
    text = path.read_text().replace("X-GNOME-Autostart-enabled=true\n", "")
    path.write_text(text + switch_off + "\n")
    assert entry.is_enabled() is expected


def test_relative_xdg_config_home_is_ignored_as_the_spec_says(tmp_path: Path) -> None:
    assert config_home({"XDG_CONFIG_HOME": "relative/dir"}, home=tmp_path) == tmp_path / ".config"
    assert config_home({}, home=tmp_path) == tmp_path / ".config"
    assert config_home({"XDG_CONFIG_HOME": "/abs"}, home=tmp_path) == Path("/abs")


def test_without_xdg_config_home_the_file_goes_to_dot_config(tmp_path: Path) -> None:
    entry = XdgAutostart(environ={}, home=tmp_path)
    entry.enable(["/usr/bin/traywatch"])
    assert (tmp_path / ".config" / "autostart" / "traywatch.desktop").is_file()


def test_folder_in_the_way_raises_autostart_error(tmp_path: Path) -> None:
    (tmp_path / "autostart").write_text("a file where the folder should be")
    with pytest.raises(AutostartError, match="cannot be written"):
        XdgAutostart(environ={"XDG_CONFIG_HOME": str(tmp_path)}).enable(["/usr/bin/traywatch"])


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("/usr/bin/traywatch", "/usr/bin/traywatch"),
        ("/opt/my apps/traywatch", '"/opt/my apps/traywatch"'),
        ("50%", "50%%"),
        ("$HOME", '"\\$HOME"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("a\\b", '"a\\\\b"'),
        ("", '""'),
    ],
)
def test_exec_arguments_are_quoted_as_the_desktop_entry_spec_says(arg: str, quoted: str) -> None:
    assert quote_exec_argument(arg) == quoted


def test_exec_line_escapes_backslashes_again_for_the_string_value() -> None:
    assert exec_line(["/x", "a\\b"]) == '/x "a\\\\\\\\b"'
    with pytest.raises(ValueError):
        exec_line([])


def test_pick_gives_xdg_on_linux_and_other_unix() -> None:
    assert isinstance(pick("linux"), XdgAutostart)
    assert isinstance(pick("freebsd14"), XdgAutostart)
