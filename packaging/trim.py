"""What the bundle leaves out: unused Qt modules, plugins and translations, and build-machine GTK.

PyInstaller's Qt hooks collect every plugin type a Qt module might use, and every library those
plugins link to. The tray app needs far less. `excluded_qt_modules()` goes to Analysis(excludes=),
`trim()` filters the collected files afterwards and then drops the shared libraries that nothing
kept links to any more (the GTK stack that only the gtk3 platform theme used, Qt's PDF library
that only the pdf image plugin used, and so on). Pure functions of file names and a link-time
dependency lookup, so they are unit-tested without building. Both wheel layouts are known: Linux
and macOS (`PySide6/Qt/plugins/...`, `PySide6/Qt/lib/`) and Windows (`PySide6\\plugins\\...`, Qt's
DLLs beside the .pyd files); bundle names are compared with forward slashes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

log = logging.getLogger("traywatch.spec")

# Qt python modules the app uses (QtDBus: notifications/tray over D-Bus may be used by the UI).
QT_MODULES_USED = frozenset({"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtNetwork", "QtDBus"})

# Plugins kept, by plugin folder: a set of plugin names (file stem without "lib"), or None for all.
# Folders not listed are dropped whole: egldeviceintegrations, generic (evdev input for eglfs),
# printsupport, sqldrivers, qmltooling, designer, vectorimageformats, wayland compositor side, and
# tls (QtNetwork's TLS backends, 0.46 MB: Qt makes no secure connection here; the probes use
# Python's ssl, and QtNetwork is only asked for reachability hints)...
KEEP_PLUGINS: dict[str, frozenset[str] | None] = {
    "platforms": frozenset({"qxcb", "qwayland", "qoffscreen", "qminimal", "qwindows", "qdirect2d", "qcocoa"}),
    "platformthemes": frozenset({"qxdgdesktopportal"}),  # not qgtk3: it drags in all of GTK
    "imageformats": frozenset({"qsvg", "qico", "qicns"}),  # PNG is built into QtGui
    "iconengines": frozenset({"qsvgicon"}),
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    "xcbglintegrations": None,
    "wayland-shell-integration": frozenset({"xdg-shell"}),
    "wayland-decoration-client": frozenset({"bradient"}),
    "wayland-graphics-integration-client": frozenset({"qt-plugin-wayland-egl", "shm-emulation-server"}),
    "networkinformation": None,  # reachability hints
    "styles": None,  # Windows/macOS native widget styles
}

_QT_DIR = re.compile(r"(^|/)PySide6/(Qt/|[^/]+\.dll$)")  # Windows: Qt's DLLs sit in PySide6/ itself
_PLUGIN = re.compile(r"(^|/)PySide6/(Qt/)?plugins/(?P<folder>[^/]+(?:/darwin)?)/(?P<file>[^/]+)$")
_TRANSLATION = re.compile(r"(^|/)PySide6/(Qt/)?translations/(?P<file>[^/]+)$")
# Qt's own texts (standard buttons, file dialogs) for the languages traywatch speaks that Qt has.
QT_TRANSLATIONS_KEPT = frozenset(f"qtbase_{code}.qm" for code in ("es", "pt_BR", "fr", "de"))
# Qt's software OpenGL (Mesa llvmpipe, 20 MB, Windows wheel): Qt loads it only when asked to render
# OpenGL without a driver; the tray app draws its widgets and icons with the raster engine.
_DROPPED_LIBRARIES = re.compile(r"(^|/)PySide6/opengl32sw\.dll$")
# Loaded by the bootloader with dlopen, so no collected file links to it: never an orphan.
_DLOPENED = re.compile(r"^(lib)?python\d")

# Python packages that are installed on build machines but never used by traywatch; several are
# reached only through optional imports (jeepney's tests import pytest, cffi imports setuptools,
# dnspython's optional trio backend imports trio).
UNUSED_PACKAGES = (
    "tkinter", "unittest", "pydoc", "pytest", "_pytest", "pygments", "setuptools", "pkg_resources",
    "distutils", "jinja2", "trio", "curio", "httpx", "httpcore", "aioquic", "h2", "IPython",
    "numpy", "scipy", "PIL", "matplotlib", "docutils", "pydantic", "hypothesis",
    "charset_normalizer", "chardet",  # requests runs without them (traywatch.core.net.requests_import)
)  # fmt: skip

# A PyInstaller TOC entry: (name inside the bundle, source path, type code).
TocEntry = tuple[str, str, str]
DependencyLookup = Callable[[str], Iterable[str]]


def excluded_qt_modules(pyside_dir: Path, used: Iterable[str] = QT_MODULES_USED) -> list[str]:
    """`PySide6.QtX` for every Qt extension module installed but not used (QtQml, QtQuick, ...)."""
    keep = set(used)
    names = {p.name.split(".", 1)[0] for p in pyside_dir.glob("Qt*.*") if p.suffix in (".so", ".pyd")}
    return sorted(f"PySide6.{name}" for name in names if name.startswith("Qt") and name not in keep)


def plugin_name(file_name: str) -> str:
    """`libqxcb.so` -> `qxcb`; `qwindows.dll` -> `qwindows`; `libqcocoa.dylib` -> `qcocoa`."""
    stem = file_name.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def _posix(dest: str) -> str:
    """A bundle name with forward slashes (PyInstaller uses the build platform's separator)."""
    return dest.replace("\\", "/")


def _basename(dest: str) -> str:
    """The file name, the way the loader matches it (Windows: without regard to case)."""
    name = PurePath(_posix(dest)).name
    return name.lower() if name.lower().endswith(".dll") else name


def keep_plugin(dest: str) -> bool:
    """False for a Qt plugin, or Qt library, the app does not need; True for any other file."""
    if _DROPPED_LIBRARIES.search(_posix(dest)):
        return False
    match = _PLUGIN.search(_posix(dest))
    if match is None:
        return True
    folder = match["folder"].removesuffix("/darwin")
    if folder not in KEEP_PLUGINS:
        return False
    names = KEEP_PLUGINS[folder]
    return names is None or plugin_name(match["file"]) in names


def keep_data(dest: str) -> bool:
    """False for Qt's translations but qtbase's in the languages traywatch speaks."""
    found = _TRANSLATION.search(_posix(dest))
    return found is None or found["file"] in QT_TRANSLATIONS_KEPT


def _is_shared_library(entry: TocEntry) -> bool:
    name = _basename(entry[0])
    return entry[2] == "BINARY" and (".so" in name or name.endswith((".dylib", ".dll")))


def unreferenced_libraries(binaries: list[TocEntry], imports_of: DependencyLookup) -> set[str]:
    """Bundle names of shared libraries that no remaining extension, plugin or kept library links to.

    Roots are Python extension modules and Qt plugins; libraries are kept when reachable from them
    through link-time dependencies (`imports_of(source_path)` gives the linked file names).
    """
    by_basename: dict[str, list[TocEntry]] = {}
    for entry in binaries:
        by_basename.setdefault(_basename(entry[0]), []).append(entry)
    roots = [
        e
        for e in binaries
        if not _is_shared_library(e) or _PLUGIN.search(_posix(e[0])) or _DLOPENED.match(_basename(e[0]))
    ]
    reached: set[str] = set()
    todo = list(roots)
    while todo:
        entry = todo.pop()
        for lib in imports_of(entry[1]):
            for dep in by_basename.get(_basename(lib), ()):
                if dep[0] not in reached:
                    reached.add(dep[0])
                    todo.append(dep)
    return {e[0] for e in binaries if _is_shared_library(e) and e[0] not in reached and e not in roots}


def trim(
    binaries: list[TocEntry], datas: list[TocEntry], imports_of: DependencyLookup | None
) -> tuple[list[TocEntry], list[TocEntry], list[str]]:
    """The binaries and datas to bundle, and the bundle names dropped (for the build log).

    Without `imports_of` (platforms where the library lookup is not verified) no orphaned
    library is dropped, only unneeded plugins and translations.
    """
    kept = [e for e in binaries if keep_plugin(e[0])]
    if imports_of is not None:
        orphans = unreferenced_libraries(kept, imports_of)
        # Only drop orphans from Qt's folders or the system's; never libraries of python packages.
        orphans = {name for name in orphans if _QT_DIR.search(_posix(name)) or "/" not in _posix(name)}
        kept = [e for e in kept if e[0] not in orphans]
    kept_datas = [e for e in datas if keep_data(e[0])]
    dropped = sorted({e[0] for e in binaries} - {e[0] for e in kept})
    dropped += sorted({e[0] for e in datas} - {e[0] for e in kept_datas})
    return kept, kept_datas, dropped
