"""The Windows version resource's numbers and strings (the resource itself is built on Windows)."""

from __future__ import annotations

import pytest

from tests.packaging.helpers import load_build_module
from traywatch import __version__

windows_version = load_build_module("windows_version")


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("2.3.4rc1", (2, 3, 4, 0)),
        ("1.0.0+local.7", (1, 0, 0, 0)),
    ],
)
def test_version_becomes_four_numbers(version: str, numbers: tuple[int, int, int, int]) -> None:
    assert windows_version.version_tuple(version) == numbers


def test_unusable_versions_are_refused() -> None:
    for bad in ("dev", "70000.0.0"):
        with pytest.raises(ValueError):
            windows_version.version_tuple(bad)


def test_the_package_version_fits_and_appears_in_the_strings() -> None:
    windows_version.version_tuple(__version__)
    strings = windows_version.version_strings("traywatch", __version__)
    assert strings["ProductVersion"] == strings["FileVersion"] == __version__
    assert strings["OriginalFilename"] == "traywatch.exe"


def test_windows_names_the_app_plainly() -> None:
    """Windows shows FileDescription as the program's name: on the toasts made from tray balloons,
    in Task Manager and its Startup tab (the Run value); a sentence there reads badly."""
    strings = windows_version.version_strings("traywatch", __version__)
    assert strings["FileDescription"] == "traywatch"
