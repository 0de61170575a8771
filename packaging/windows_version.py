"""The Windows version resource (file and product version, names) for the frozen executable.

Used by the spec on Windows only: PyInstaller's versioninfo module needs `pefile`, a Windows
build dependency. `version_tuple` is plain Python and is unit-tested everywhere.
"""

from __future__ import annotations

import re
from typing import Any


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """Turn "1.2.3rc1" into (1, 2, 3, 0): the four 16-bit numbers Windows wants."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:3]]
    if not numbers:
        raise ValueError(f"no version number in {version!r}")
    numbers += [0] * (4 - len(numbers))
    if any(n > 0xFFFF for n in numbers):
        raise ValueError(f"version {version!r} does not fit a Windows version resource")
    return numbers[0], numbers[1], numbers[2], numbers[3]


def version_strings(app_name: str, version: str) -> dict[str, str]:
    """The StringFileInfo table shown in Explorer's file properties."""
    return {
        "CompanyName": app_name,
        "FileDescription": app_name,  # the name Windows shows on toasts, in Task Manager and Startup
        "FileVersion": version,
        "InternalName": app_name,
        "OriginalFilename": f"{app_name}.exe",
        "ProductName": app_name,
        "ProductVersion": version,
        "LegalCopyright": "MIT License",
    }


def version_info(app_name: str, version: str) -> Any:
    """A PyInstaller VSVersionInfo (imported here because it needs pefile, present on Windows)."""
    from PyInstaller.utils.win32 import versioninfo as vi

    numbers = version_tuple(version)
    strings = [vi.StringStruct(k, v) for k, v in version_strings(app_name, version).items()]
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            vi.StringFileInfo([vi.StringTable("040904B0", strings)]),
            vi.VarFileInfo([vi.VarStruct("Translation", [0x0409, 1200])]),
        ],
    )
