"""The menu entry: the .desktop file, and the per-user install script run for real in a temp home."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging.helpers import PACKAGING, REPO_ROOT
from traywatch.platform.autostart.xdg import exec_line

SCRIPT = PACKAGING / "install-desktop.sh"
DESKTOP = REPO_ROOT / "resources" / "traywatch.desktop"
needs_validator = pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None, reason="apt-get install desktop-file-utils"
)


def entry_keys(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text("utf-8"))
    return parser["Desktop Entry"]


def validate(path: Path) -> None:
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def install(home: Path, *args: str, script: Path = SCRIPT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    return subprocess.run(["bash", str(script), *args], env=env, capture_output=True, text=True, timeout=60)


def test_the_desktop_file_names_the_app_its_icon_and_categories() -> None:
    keys = entry_keys(DESKTOP)
    assert keys["Type"] == "Application"
    assert keys["Name"] == "traywatch"
    assert keys["Exec"] == "traywatch"
    assert keys["Icon"] == "traywatch"
    assert keys["Categories"] == "Network;Monitor;"
    assert keys["Terminal"] == "false"


@needs_validator
def test_the_desktop_file_passes_desktop_file_validate() -> None:
    validate(DESKTOP)


@needs_validator
def test_install_puts_the_entry_and_every_icon_size_under_xdg_data_home(tmp_path: Path) -> None:
    result = install(tmp_path)
    assert result.returncode == 0, result.stderr
    data = tmp_path / "data"
    entry = data / "applications" / "traywatch.desktop"
    validate(entry)
    assert entry_keys(entry)["Exec"] == "traywatch"  # from the source tree: the pip-installed command
    assert (data / "icons/hicolor/scalable/apps/traywatch.svg").read_bytes() == (
        REPO_ROOT / "resources/app/traywatch.svg"
    ).read_bytes()
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        icon = data / f"icons/hicolor/{size}x{size}/apps/traywatch.png"
        assert icon.read_bytes() == (REPO_ROOT / f"resources/app/traywatch-{size}.png").read_bytes()
    assert not (tmp_path / ".local").exists()  # XDG_DATA_HOME was honoured

    result = install(tmp_path, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert not entry.exists()
    assert not list((data / "icons").rglob("traywatch.*"))


@needs_validator
def test_an_unusual_program_path_is_quoted_like_the_autostart_entry(tmp_path: Path) -> None:
    program = str(tmp_path / "my apps" / "tray$watch 100%")
    result = install(tmp_path, "--exec", program)
    assert result.returncode == 0, result.stderr
    entry = tmp_path / "data" / "applications" / "traywatch.desktop"
    validate(entry)
    line = next(x for x in entry.read_text().splitlines() if x.startswith("Exec="))
    assert line == f"Exec={exec_line([program])}"


def test_from_an_unpacked_bundle_the_entry_starts_the_bundled_executable(tmp_path: Path) -> None:
    bundle = tmp_path / "traywatch"
    shutil.copytree(REPO_ROOT / "resources", bundle / "_internal" / "resources")
    shutil.copy(SCRIPT, bundle / "install-desktop.sh")
    result = install(tmp_path, script=bundle / "install-desktop.sh")
    assert result.returncode == 0, result.stderr
    keys = entry_keys(tmp_path / "data" / "applications" / "traywatch.desktop")
    assert keys["Exec"] == str(bundle / "traywatch")
    assert keys["TryExec"] == str(bundle / "traywatch")


def test_without_xdg_data_home_it_goes_to_dot_local_share(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"} | {"HOME": str(tmp_path)}
    result = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".local/share/applications/traywatch.desktop").is_file()
    assert (tmp_path / ".local/share/icons/hicolor/48x48/apps/traywatch.png").is_file()


def test_unknown_options_are_refused(tmp_path: Path) -> None:
    result = install(tmp_path, "--frobnicate")
    assert result.returncode == 2
    assert "unknown option" in result.stderr
