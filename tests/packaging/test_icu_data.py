"""The small ICU data library: which items stay, the package format, and Qt running on the result."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.packaging.helpers import load_build_module

icu_data = load_build_module("icu_data")


def installed_icu_data() -> Path:
    pyside6 = pytest.importorskip("PySide6")
    found = sorted((Path(pyside6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not sys.platform.startswith("linux") or not found:
        pytest.skip("PySide6 from PyPI on Linux ships libicudata.so.NN")
    return found[0]


@pytest.mark.parametrize(
    ("item", "kept"),
    [
        ("icudt73l/root.res", True),
        ("icudt73l/en.res", True),
        ("icudt73l/pool.res", True),
        ("icudt73l/zoneinfo64.res", True),
        ("icudt73l/nfkc.nrm", True),
        ("icudt73l/uemoji.icu", True),
        ("icudt73l/cnvalias.icu", True),
        ("icudt73l/coll/root.res", True),
        ("icudt73l/coll/ucadata.icu", True),
        ("icudt73l/zone/root.res", True),
        ("icudt73l/de.res", False),
        ("icudt73l/unames.icu", False),
        ("icudt73l/ibm-1390_P110-2003.cnv", False),
        ("icudt73l/coll/zh.res", False),
        ("icudt73l/zone/de.res", False),
        ("icudt73l/brkitr/cjdict.dict", False),
        ("icudt73l/translit/root.res", False),
        ("icudt73l/curr/pool.res", False),
        ("icudt73l/unit/en.res", False),
    ],
)
def test_only_what_qt_reads_is_kept(item: str, kept: bool) -> None:
    assert icu_data.keep_item(item) is kept


def make_package(items: dict[str, bytes]) -> bytes:
    header = bytearray(32)
    struct.pack_into("<HBB", header, 0, 32, 0xDA, 0x27)
    header[8] = 0  # little-endian
    header[12:16] = b"CmnD"
    package = icu_data.Package(bytes(header), tuple(sorted(items.items())))
    return bytes(package.to_bytes())


def test_a_package_survives_a_round_trip_with_aligned_items() -> None:
    items = {"icudt73l/root.res": b"R" * 21, "icudt73l/coll/root.res": b"C" * 16, "icudt73l/zz.icu": b"Z"}
    blob = make_package(items)
    parsed = icu_data.parse_package(blob)
    assert [name for name, _ in parsed.items] == sorted(items)
    for name, data in parsed.items:
        assert data.rstrip(b"\0") == items[name]
    (count,) = struct.unpack_from("<I", blob, 32)
    offsets = [struct.unpack_from("<II", blob, 36 + 8 * i)[1] for i in range(count)]
    assert all(offset % 16 == 0 for offset in offsets)


def test_not_a_package_is_refused() -> None:
    with pytest.raises(ValueError, match="ICU common data"):
        icu_data.parse_package(b"\0" * 64)


def test_data_symbol_follows_the_library_version() -> None:
    assert icu_data.data_symbol(Path("libicudata.so.73")) == "icudt73_dat"
    with pytest.raises(ValueError):
        icu_data.data_symbol(Path("libicuuc.so.73"))


def test_the_installed_data_library_parses_and_shrinks_tenfold() -> None:
    library = installed_icu_data()
    blob = icu_data.read_package(library)
    package = icu_data.parse_package(blob)
    assert len(package.items) > 1000
    assert [name for name, _ in icu_data.parse_package(package.to_bytes()).items] == [
        name for name, _ in package.items
    ]
    small = icu_data.filter_package(package)
    names = {name.split("/", 1)[1] for name, _ in small.items}
    assert {"root.res", "coll/root.res", "coll/ucadata.icu", "zoneinfo64.res", "pool.res"} <= names
    assert len(small.to_bytes()) * 10 < len(blob)


QT_CHECK = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCollator, QLocale, QTimeZone
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    assert QCollator(QLocale("de_DE")).compare("Äpfel", "Birnen") < 0
    assert QLocale("tr_TR").toUpper("i") == "\\u0130"
    assert QTimeZone(b"Europe/Berlin").isValid()
    maps = open("/proc/self/maps").read()
    print("small ICU loaded" if sys.argv[1] in maps else "ORIGINAL ICU loaded")
    """
)


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="needs a C compiler")
def test_the_built_library_holds_the_small_package_and_qt_runs_on_it(tmp_path: Path) -> None:
    source = installed_icu_data()
    target = tmp_path / "lib" / source.name
    before, after = icu_data.build_library(source, target)
    assert before > 20_000_000 > 4_000_000 > after
    expected = icu_data.filter_package(icu_data.parse_package(icu_data.read_package(source)))
    assert icu_data.parse_package(icu_data.read_package(target)).items == expected.items
    soname = subprocess.run(["readelf", "-d", str(target)], capture_output=True, text=True, check=False)
    if soname.returncode == 0:
        assert f"[{source.name}]" in soname.stdout
    env = {**os.environ, "LD_LIBRARY_PATH": str(target.parent), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", QT_CHECK, str(target)], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "small ICU loaded"


def test_shrinking_in_the_bundle_swaps_only_the_data_library(tmp_path: Path) -> None:
    source = installed_icu_data()
    binaries = [
        ("PySide6/Qt/lib/libicuuc.so.73", "/src/libicuuc.so.73", "BINARY"),
        (f"PySide6/Qt/lib/{source.name}", str(source), "BINARY"),
    ]
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("needs a C compiler")
    result = icu_data.shrink_in_bundle(binaries, tmp_path)
    assert result[0] == binaries[0]
    assert result[1] == (binaries[1][0], str(tmp_path / source.name), "BINARY")


def test_a_data_library_that_cannot_be_shrunk_is_kept(tmp_path: Path) -> None:
    odd = tmp_path / "libicudata.so.99"
    odd.write_bytes(b"not an ELF file")
    binaries = [("PySide6/Qt/lib/libicudata.so.99", str(odd), "BINARY")]
    assert icu_data.shrink_in_bundle(binaries, tmp_path / "out") == binaries
