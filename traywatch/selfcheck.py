"""`traywatch --self-check`: what this installation sees, in one readable report; always exits 0.

It prints the resolved folders and config status, the bundled resources, the keyring backend (or
why there is none), the Qt version, the platform plugin that loaded and whether a system tray is
there, and whether this is a frozen bundle. No network; a second or less. CI runs it inside the
PyInstaller bundle to prove that the frozen app starts and finds everything it needs.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from traywatch import __version__
from traywatch.commands.common import config_path
from traywatch.core.errors import TraywatchError
from traywatch.core.paths import HOME_ENV, app_paths

# The keyring backends that matter on each platform, by module name (the others say "requires X").
_NATIVE_KEYRINGS = {
    "linux": ("SecretService", "libsecret", "kwallet"),
    "darwin": ("macOS",),
    "win32": ("Windows",),
}


@dataclass(frozen=True)
class Line:
    label: str
    value: str


def _path_state(path: Path) -> str:
    if path.is_dir():
        return f"{path}"
    if path.exists():
        return f"{path} (not a folder!)"
    return f"{path} (not created yet)"


def folder_lines(args: argparse.Namespace) -> Iterator[Line]:
    """Where config, data and logs live, and whether the config file is there and valid."""
    from traywatch.core.settings.config import load_config

    paths = app_paths()
    source = f"{HOME_ENV}={os.environ[HOME_ENV]}" if os.environ.get(HOME_ENV) else "platform defaults"
    yield Line("folders from", source)
    yield Line("config folder", _path_state(paths.config_dir))
    config_file = config_path(args, paths)
    if not config_file.exists():
        yield Line("config file", f"{config_file} (none: defaults are used)")
    else:
        try:
            config = load_config(config_file)
        except TraywatchError as exc:
            yield Line("config file", f"{config_file} (INVALID: {exc})")
        else:
            warnings = f", {len(config.warnings)} warning(s)" if config.warnings else ""
            yield Line("config file", f"{config_file} (valid{warnings})")
    yield Line("data folder", _path_state(paths.data_dir))
    yield Line("log folder", _path_state(paths.log_dir))


def bundle_lines() -> Iterator[Line]:
    """Frozen or not, the executable, and where the bundled resources were found."""
    bundle_dir = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False):
        yield Line("frozen", f"yes (PyInstaller bundle unpacked in {bundle_dir})")
    else:
        yield Line("frozen", "no (running from Python sources)")
    yield Line("executable", sys.executable)
    yield Line("python", f"{platform.python_version()} on {platform.platform(terse=True)}")
    try:
        from traywatch.ui.resources import resource_root

        yield Line("resources", str(resource_root()))
    except (ImportError, OSError) as exc:
        yield Line("resources", f"MISSING: {exc}")


def keyring_lines(platform_name: str = sys.platform) -> Iterator[Line]:
    """The backend keyring would use, or 'none: <why>' naming the native backends' complaints."""
    try:
        import keyring
        import keyring.backend
        from keyring.backends import chainer, fail
    except ImportError as exc:
        yield Line("keyring", f"none: the keyring package is missing ({exc})")
        return
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring config must not stop the report
        yield Line("keyring", f"none: {type(exc).__name__}: {exc}")
        return
    chosen = list(backend.backends) if isinstance(backend, chainer.ChainerBackend) else [backend]
    chosen = [b for b in chosen if not isinstance(b, fail.Keyring)]
    if chosen:
        names = ", ".join(
            f"{type(b).__module__}.{type(b).__name__} (priority {b.priority:g})" for b in chosen
        )
        yield Line("keyring", names)
    else:
        yield Line("keyring", f"none: {_keyring_reasons(keyring.backend.KeyringBackend, platform_name)}")
    found = sorted({cls.__module__.rpartition(".")[2] for cls in keyring.backend.KeyringBackend._classes})
    yield Line("keyring backends", ", ".join(found) or "none bundled")


def _keyring_reasons(base: type, platform_name: str) -> str:
    native = _NATIVE_KEYRINGS.get("linux" if platform_name.startswith("linux") else platform_name, ())
    reasons: list[str] = []
    for cls in getattr(base, "_classes", ()):
        module = cls.__module__.rpartition(".")[2]
        if module not in native:
            continue
        try:
            _ = cls.priority
        except Exception as exc:  # priority raises to say why a backend is unusable
            reasons.append(f"{module}: {exc}")
    if not reasons:
        return "no usable backend for this platform"
    return "; ".join(dict.fromkeys(reasons))


def qt_platform_choice(environ: Mapping[str, str], platform_name: str = sys.platform) -> str | None:
    """The QT_QPA_PLATFORM value for the check: what is asked for, falling back to offscreen so a
    missing display is reported instead of aborting the process. None: leave Qt's default."""
    asked = environ.get("QT_QPA_PLATFORM", "")
    if asked:
        return asked if "offscreen" in asked.split(";") else f"{asked};offscreen"
    if not platform_name.startswith("linux") and "bsd" not in platform_name:
        return None  # Windows and macOS always have their native platform
    choices = []
    if environ.get("WAYLAND_DISPLAY"):
        choices.append("wayland")
    if environ.get("DISPLAY"):
        choices.append("xcb")
    return ";".join([*choices, "offscreen"])


@contextmanager
def _environ_value(name: str, value: str | None) -> Iterator[None]:
    old = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def qt_lines() -> Iterator[Line]:
    """Qt and PySide6 versions, the platform plugin that loaded, and whether a tray is there."""
    try:
        import PySide6
        from PySide6.QtCore import QLibraryInfo, qVersion
        from PySide6.QtWidgets import QApplication, QSystemTrayIcon
    except ImportError as exc:
        yield Line("Qt", f"not available: PySide6 is not installed or cannot load ({exc})")
        yield Line("system tray", "no (no Qt); the headless commands still work")
        return
    yield Line("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})")
    yield Line("Qt plugins", QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    choice = qt_platform_choice(os.environ)
    existing = QApplication.instance()
    if existing is not None:
        app = existing
    else:
        with _environ_value("QT_QPA_PLATFORM", choice):
            app = QApplication(["traywatch", "--self-check"])
    platform_name = QApplication.platformName()
    asked = f" (tried: {choice})" if choice and choice != platform_name else ""
    yield Line("Qt platform", f"{platform_name}{asked}")
    tray = QSystemTrayIcon.isSystemTrayAvailable()
    note = " (the offscreen platform never has one)" if platform_name == "offscreen" else ""
    yield Line("system tray", f"{'yes' if tray else 'no'}{note}")
    yield Line("Qt text", qt_text_check())
    app.processEvents()


def qt_text_check() -> str:
    """Collation, locale case mapping and time zones: the parts of Qt that read ICU's data."""
    from PySide6.QtCore import QCollator, QLocale, QTimeZone

    problems = []
    if not QCollator(QLocale("en_US")).compare("apple", "Banana") < 0:
        problems.append("collation")
    if QLocale("tr_TR").toUpper("i") != "\u0130":
        problems.append("case mapping")
    if not QTimeZone(b"Europe/Berlin").isValid():
        problems.append("time zones")
    locale = QLocale.system().name()
    return f"locale {locale}; " + (f"BROKEN: {', '.join(problems)}" if problems else "ok")


def ui_lines() -> Iterator[Line]:
    """Whether the tray app's modules import: catches modules a frozen bundle forgot."""
    try:
        import traywatch.ui.app  # noqa: F401
    except Exception as exc:  # report whatever stops the UI from importing
        yield Line("tray UI", f"NOT importable: {type(exc).__name__}: {exc}")
    else:
        yield Line("tray UI", "importable")


def autostart_lines() -> Iterator[Line]:
    """Whether the app starts at login, where that entry lives, and what it would start."""
    from traywatch.platform.autostart import AutostartError, autostart_command, pick

    entry = pick()
    try:
        state = "enabled" if entry.is_enabled() else "disabled"
    except AutostartError as exc:
        state = f"unknown ({exc})"
    yield Line("start at login", f"{state} ({entry.location})")
    yield Line("login command", " ".join(autostart_command()))


def collect(args: argparse.Namespace) -> list[Line]:
    """Every line of the report; a failing section becomes one line saying what failed."""
    sections: list[tuple[str, Callable[[], Iterator[Line]]]] = [
        ("folders", lambda: folder_lines(args)),
        ("bundle", bundle_lines),
        ("keyring", keyring_lines),
        ("Qt", qt_lines),
        ("tray UI", ui_lines),
        ("start at login", autostart_lines),
    ]
    lines: list[Line] = []
    for name, section in sections:
        try:
            lines.extend(section())
        except Exception as exc:  # the report must finish whatever one part does
            lines.append(Line(name, f"check failed: {type(exc).__name__}: {exc}"))
    return lines


def format_report(lines: list[Line]) -> str:
    width = max(len(line.label) for line in lines) + 2
    body = "\n".join(f"  {(line.label + ':'):<{width}}{line.value}" for line in lines)
    return f"traywatch {__version__} self-check\n{body}\n"


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(format_report(collect(args)))
    sys.stdout.flush()
    return 0
