"""One accessor for bundled files (icons, screenshots): source checkout, installed wheel, frozen app.

Lookup order: a PyInstaller bundle (`sys._MEIPASS/resources`), the installed package
(`traywatch/resources`, where the wheel puts the repository's `resources/`), then the source
checkout (`resources/` at the repository root). `TRAYWATCH_RESOURCES` overrides all three.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

from traywatch.i18n import Template

MISSING = Template("resources.missing", "traywatch's resources are missing (looked in: {folders})")
NOT_FOUND = Template("resources.not_found", "traywatch resource not found: {path}")
ENV_OVERRIDE = "TRAYWATCH_RESOURCES"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # .../traywatch


class ResourceError(FileNotFoundError):
    """A bundled file is missing: the installation is incomplete."""


def candidate_roots() -> list[Path]:
    """Every folder that may hold the resources, most specific first."""
    roots: list[Path] = []
    override = os.environ.get(ENV_OVERRIDE)
    if override:
        roots.append(Path(override))
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots.append(Path(frozen) / "resources")
    roots.append(_PACKAGE_DIR / "resources")
    roots.append(_PACKAGE_DIR.parent / "resources")
    return roots


@lru_cache(maxsize=1)
def resource_root() -> Path:
    """The first candidate folder that holds our icons."""
    for root in candidate_roots():
        if (root / "icons").is_dir():
            return root
    tried = ", ".join(str(r) for r in candidate_roots())
    raise ResourceError(MISSING(folders=tried))


def resource_path(*parts: str) -> Path:
    """Path of a bundled file, e.g. resource_path("icons", "ok.svg"); raises ResourceError."""
    path = resource_root().joinpath(*parts)
    if not path.is_file():
        raise ResourceError(NOT_FOUND(path=str(path)))
    return path


def read_bytes(*parts: str) -> bytes:
    return resource_path(*parts).read_bytes()
