"""`pip install` from a built wheel: the wheel carries the resources and the installed app runs.

One wheel and one venv for the module (building them takes a few seconds). The venv sees the
system's site-packages, so PySide6 and the other dependencies are not downloaded again; the wheel
is installed with --no-deps --no-index and must win over a development install of the checkout.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.packaging.helpers import REPO_ROOT
from tests.packaging.selfcheck_report import parse_report
from traywatch import __version__

pytestmark = pytest.mark.timeout(600)

MO_FILES = "traywatch/i18n/locale/*/LC_MESSAGES/traywatch.mo"


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def run(
        self, *args: str, cwd: Path, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **(env or {})}
        full_env.pop("PYTHONPATH", None)
        return subprocess.run(list(args), cwd=cwd, env=full_env, capture_output=True, text=True, timeout=120)


def _pip(*args: str, python: str = sys.executable) -> None:
    result = subprocess.run(
        [python, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("wheel")
    no_isolation = ["--no-build-isolation"] if importlib.util.find_spec("hatchling") else []
    _pip("wheel", str(REPO_ROOT), "--no-deps", *no_isolation, "-w", str(root / "dist"))
    (wheel,) = (root / "dist").glob("traywatch-*.whl")
    env_dir = root / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    _pip(
        "install",
        "--no-deps",
        "--no-index",
        "--force-reinstall",
        str(wheel),
        python=str(env_dir / "bin" / "python"),
    )
    yield Installed(wheel, env_dir)


def test_the_wheel_carries_the_package_data_and_resources(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    expected = {
        "traywatch/core/catalogue.toml",
        "traywatch/resources/traywatch.desktop",
        "traywatch/resources/app/traywatch.svg",
        "traywatch/resources/app/traywatch-48.png",
        "traywatch/resources/app/traywatch.ico",
        "traywatch/resources/app/traywatch.icns",
        "traywatch/selfcheck.py",
        "traywatch/platform/autostart/xdg.py",
        "traywatch/i18n/cldr.json",  # the locale formats (CLDR, made at build time)
    }
    expected |= {mo.relative_to(REPO_ROOT).as_posix() for mo in REPO_ROOT.glob(MO_FILES)}
    assert expected <= names, expected - names
    assert not any(n.endswith((".po", ".pot")) for n in names)  # the catalogues' sources stay out
    assert any(n.startswith("traywatch/resources/icons/") and n.endswith(".svg") for n in names)
    assert not any("__pycache__" in n or n.startswith(("tests/", "packaging/")) for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(installed.wheel).read(entry_points).decode()
    assert "traywatch = traywatch.cli:main" in text
    # Windows: a gui-scripts launcher (Scripts\traywatchw.exe) starts the tray without a console.
    gui = text.split("[gui_scripts]", 1)
    assert len(gui) == 2 and "traywatchw = traywatch.cli:main" in gui[1].split("[", 1)[0], text


def test_the_installed_console_script_runs(installed: Installed, tmp_path: Path) -> None:
    result = installed.run(str(installed.bin / "traywatch"), "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"traywatch {__version__}"


def test_the_venv_imports_the_installed_copy_with_its_resources(installed: Installed, tmp_path: Path) -> None:
    code = (
        "import traywatch, pathlib; from importlib import resources; "
        "print(traywatch.__file__); "
        "print(resources.files('traywatch.core').joinpath('catalogue.toml').is_file())"
    )
    result = installed.run(str(installed.bin / "python"), "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    location, catalogue = result.stdout.split()
    assert Path(location).is_relative_to(installed.venv), location
    assert catalogue == "True"


def test_self_check_finds_the_installed_resources_and_its_own_script(
    installed: Installed, tmp_path: Path, traywatch_home: Path
) -> None:
    result = installed.run(
        str(installed.bin / "traywatch"),
        "--self-check",
        cwd=tmp_path,
        env={"QT_QPA_PLATFORM": "offscreen", "TRAYWATCH_HOME": str(traywatch_home)},
    )
    assert result.returncode == 0, result.stderr
    report = parse_report(result.stdout)
    assert Path(report["resources"]).is_relative_to(installed.venv), report["resources"]
    assert (Path(report["resources"]) / "icons").is_dir()
    assert report["login command"] == str(installed.bin / "traywatch")
