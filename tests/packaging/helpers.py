"""Shared by the packaging tests: the repository root and loading the build scripts in packaging/.

packaging/ is a folder of build scripts, not a package (and `packaging` is also a PyPI library's
name), so its modules are loaded from their files.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGING = REPO_ROOT / "packaging"


def load_build_module(name: str) -> ModuleType:
    """Import packaging/<name>.py (name may be 'i18n/catalogues') as `traywatch_build_<name>`."""
    module_name = f"traywatch_build_{name.replace('/', '_')}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
