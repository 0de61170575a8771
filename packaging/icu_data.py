"""A smaller ICU data library for the bundle: Qt's 32 MB `libicudata` cut to the ~2 MB Qt can use.

Qt links ICU for collation, locale-aware case mapping and time-zone names; everything else in the
data library (legacy charset tables, word-break dictionaries, unit/currency/language names,
transliteration, and the locale tailorings of 800 locales) is never read by a tray app that
formats dates and numbers with Qt's own CLDR tables. ICU falls back to the root locale when a
locale's item is missing, and reports missing data as an error code, never a crash.

The library holds one symbol, `icudt<NN>_dat`: an ICU "common data" package (a header, a table of
item names and offsets, the items 16-byte aligned). `read_package` pulls it out of the ELF file,
`filter_package` keeps the items `keep_item` accepts, and `build_library` assembles a new shared
library with the same soname (gcc with `.incbin`; Linux only, where the bundle is verified).
"""

from __future__ import annotations

import logging
import re
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath

log = logging.getLogger("traywatch.spec")

ALIGN = 16
# Top-level items kept: core Unicode property tables and the locale-independent bundles.
_KEEP_TOP_RES = frozenset(
    {
        "root", "en", "pool", "res_index", "likelySubtags", "supplementalData", "metadata",
        "zoneinfo64", "metaZones", "timezoneTypes", "windowsZones", "keyTypeData",
        "numberingSystems", "plurals", "dayPeriods", "icuver", "icustd",
    }
)  # fmt: skip
_DROP_TOP = frozenset({"unames.icu"})  # character names (QChar never asks ICU for them)
# Subfolders: only the root (and English) items of collation and time-zone names survive.
_KEEP_IN = {
    "coll": frozenset({"root.res", "en.res", "res_index.res", "ucadata.icu"}),
    "zone": frozenset({"root.res", "en.res", "pool.res", "res_index.res", "tzdbNames.res"}),
}


def keep_item(name: str) -> bool:
    """Whether an item (e.g. `icudt73l/coll/root.res`) stays in the small package."""
    parts = name.split("/")[1:]  # drop the package prefix, icudt73l
    if len(parts) == 1:
        item = parts[0]
        stem, _, ext = item.rpartition(".")
        if ext == "cnv" or item in _DROP_TOP:  # legacy charsets: Qt converts UTF-8/16 itself
            return False
        return ext != "res" or stem in _KEEP_TOP_RES
    if len(parts) == 2 and parts[0] in _KEEP_IN:
        return parts[1] in _KEEP_IN[parts[0]]
    return False  # brkitr, unit, curr, lang, region, translit, rbnf


@dataclass(frozen=True)
class Package:
    header: bytes  # MappedData + UDataInfo, kept as is
    items: tuple[tuple[str, bytes], ...]  # sorted by name (ICU looks names up by binary search)

    def to_bytes(self) -> bytes:
        count = len(self.items)
        names = b"".join(name.encode("ascii") + b"\0" for name, _ in self.items)
        toc_size = 4 + 8 * count
        data_start = _align(toc_size + len(names))
        toc = bytearray(struct.pack("<I", count))
        body = bytearray()
        name_offset = toc_size
        for name, data in self.items:
            toc += struct.pack("<II", name_offset, data_start + len(body))
            name_offset += len(name) + 1
            body += data + b"\0" * (_align(len(data)) - len(data))
        table = bytes(toc) + names
        return self.header + table + b"\0" * (data_start - len(table)) + bytes(body)


def _align(size: int) -> int:
    return (size + ALIGN - 1) // ALIGN * ALIGN


def parse_package(blob: bytes) -> Package:
    """Split an ICU common-data package (data format "CmnD") into its items."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD" or blob[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    (count,) = struct.unpack_from("<I", blob, header_size)
    toc = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(toc):
        start = header_size + name_offset
        name = blob[start : blob.index(b"\0", start)].decode("ascii")
        end = header_size + toc[i + 1][1] if i + 1 < count else len(blob)
        items.append((name, blob[header_size + data_offset : end]))
    return Package(blob[:header_size], tuple(items))


def filter_package(package: Package) -> Package:
    return Package(package.header, tuple(item for item in package.items if keep_item(item[0])))


def data_symbol(library: Path) -> str:
    """`icudt73_dat` for `libicudata.so.73`."""
    match = re.search(r"icudata\.so\.(\d+)", library.name)
    if match is None:
        raise ValueError(f"{library.name} is not an ICU data library (libicudata.so.NN)")
    return f"icudt{match[1]}_dat"


def read_package(library: Path) -> bytes:
    """The bytes of the data symbol of a 64-bit little-endian ELF shared library."""
    data = library.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{library}: not a 64-bit little-endian ELF file")
    symbol = data_symbol(library).encode()
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    for sh_type, sh_offset, sh_size, sh_link, sh_entsize in (
        (s[1], s[4], s[5], s[6], s[9]) for s in sections
    ):
        if sh_type != 11:  # SHT_DYNSYM
            continue
        strtab_offset = sections[sh_link][4]
        for entry in range(sh_offset, sh_offset + sh_size, sh_entsize):
            st_name, _info, _other, st_shndx, st_value, st_size = struct.unpack_from("<IBBHQQ", data, entry)
            start = strtab_offset + st_name
            if data[start : data.index(b"\0", start)] == symbol:
                section = sections[st_shndx]
                file_offset = section[4] + st_value - section[3]
                return data[file_offset : file_offset + st_size]
    raise ValueError(f"{library}: no {symbol.decode()} symbol")


def build_library(source: Path, target: Path, compiler: str | None = None) -> tuple[int, int]:
    """Write a small copy of the ICU data library `source` to `target`; returns (old, new) sizes.

    Raises RuntimeError when no C compiler is available or it fails (the caller keeps the original).
    """
    cc = compiler or shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        raise RuntimeError("no C compiler (cc/gcc) to assemble the small ICU data library")
    small = filter_package(parse_package(read_package(source))).to_bytes()
    symbol = data_symbol(source)
    with tempfile.TemporaryDirectory(prefix="icudata-") as tmp:
        blob = Path(tmp) / "icudata.dat"
        blob.write_bytes(small)
        asm = Path(tmp) / "icudata.S"
        asm.write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign {ALIGN}\n"
            f'{symbol}:\n\t.incbin "{blob}"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        command = [cc, "-shared", "-nostdlib", f"-Wl,-soname,{source.name}", "-o", str(target), str(asm)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return source.stat().st_size, target.stat().st_size


def shrink_in_bundle(binaries: list[tuple[str, str, str]], workdir: Path) -> list[tuple[str, str, str]]:
    """The PyInstaller binaries with `libicudata.so.NN` replaced by a small copy built in `workdir`.

    When the small library cannot be built (no compiler, unexpected file) the original is kept.
    """
    result = []
    for dest, source, kind in binaries:
        if PurePath(dest).name.startswith("libicudata.so."):
            small = workdir / PurePath(dest).name
            try:
                before, after = build_library(Path(source), small)
            except (RuntimeError, ValueError, OSError) as exc:
                log.warning("keeping the full ICU data library: %s", exc)
            else:
                log.info("ICU data: %s %.1f MB -> %.1f MB", dest, before / 1e6, after / 1e6)
                source = str(small)
        result.append((dest, source, kind))
    return result
