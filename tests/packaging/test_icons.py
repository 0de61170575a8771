"""The application icon files: every size the installer and the spec need, and up to date."""

from __future__ import annotations

import importlib.util
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from tests.packaging.helpers import PACKAGING, REPO_ROOT, load_build_module

APP_DIR = REPO_ROOT / "resources" / "app"
make_icons = load_build_module("make_icons")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("size", make_icons.PNG_SIZES)
def test_each_png_has_the_size_its_name_says(size: int) -> None:
    assert png_size((APP_DIR / f"traywatch-{size}.png").read_bytes()) == (size, size)


def test_the_hicolor_sizes_desktops_look_for_are_there() -> None:
    assert {16, 22, 24, 32, 48, 64, 128, 256} <= set(make_icons.PNG_SIZES)


def test_the_svg_source_is_a_square_svg() -> None:
    root = ET.parse(APP_DIR / "traywatch.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"


def test_the_windows_ico_holds_every_size_up_to_256() -> None:
    data = (APP_DIR / "traywatch.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1)
    sizes = {(data[6 + 16 * i] or 256) for i in range(count)}
    assert sizes == set(make_icons.ICO_SIZES)


def test_the_macos_icns_is_a_complete_icns_file() -> None:
    data = (APP_DIR / "traywatch.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    kinds = set()
    offset = 8
    while offset < len(data):
        kinds.add(data[offset : offset + 4])
        offset += struct.unpack(">I", data[offset + 4 : offset + 8])[0]
    assert {b"ic07", b"ic08", b"ic09", b"ic10"} <= kinds  # 128, 256, 512, 512@2x


@pytest.mark.skipif(importlib.util.find_spec("PIL") is None, reason="Pillow is a build-time tool only")
def test_the_committed_files_match_the_svg() -> None:
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "make_icons.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, f"run packaging/make_icons.py: {result.stderr}"
