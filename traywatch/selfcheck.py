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
from traywatch.i18n import N_, _, ngettext, render
from traywatch.terminal import error_text

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
        return _("{path} (not a folder!)").format(path=path)
    return _("{path} (not created yet)").format(path=path)


def folder_lines(args: argparse.Namespace) -> Iterator[Line]:
    """Where config, data and logs live, and whether the config file is there and valid."""
    from traywatch.core.settings.config import load_config

    paths = app_paths()
    home = os.environ.get(HOME_ENV)
    source = (
        _("chosen by {setting}").format(setting=f"{HOME_ENV}={home}")
        if home
        else _("the usual places on this system")
    )
    yield Line(_("folders"), source)
    yield Line(_("config folder"), _path_state(paths.config_dir))
    config_file = config_path(args, paths)
    label = _("config file")
    if not config_file.exists():
        yield Line(label, _("{path} (none: defaults are used)").format(path=config_file))
    else:
        try:
            config = load_config(config_file)
        except TraywatchError as exc:
            yield Line(
                label, _("{path} (INVALID: {problem})").format(path=config_file, problem=error_text(exc))
            )
        else:
            count = len(config.warnings)
            valid = (
                ngettext("{path} (valid, {count} warning)", "{path} (valid, {count} warnings)", count)
                if count
                else _("{path} (valid)")
            )
            yield Line(label, valid.format(path=config_file, count=count))
    yield Line(_("data folder"), _path_state(paths.data_dir))
    yield Line(_("log folder"), _path_state(paths.log_dir))


def bundle_lines() -> Iterator[Line]:
    """Frozen or not, the executable, and where the bundled resources were found."""
    bundle_dir = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False):
        yield Line(_("frozen"), _("yes (PyInstaller bundle unpacked in {folder})").format(folder=bundle_dir))
    else:
        yield Line(_("frozen"), _("no (running from Python sources)"))
    yield Line(_("executable"), sys.executable)
    yield Line(
        _("python"),
        _("{version} on {system}").format(
            version=platform.python_version(), system=platform.platform(terse=True)
        ),
    )
    try:
        from traywatch.ui.resources import resource_root

        yield Line(_("resources"), str(resource_root()))
    except (ImportError, OSError) as exc:
        yield Line(_("resources"), _("MISSING: {reason}").format(reason=error_text(exc)))


def keyring_lines(platform_name: str = sys.platform) -> Iterator[Line]:
    """The backend keyring would use, or 'none: <why>' naming the native backends' complaints."""
    try:
        import keyring
        import keyring.backend
        from keyring.backends import chainer, fail
    except ImportError as exc:
        yield Line(_("keyring"), _("none: the keyring package is missing ({reason})").format(reason=exc))
        return
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring config must not stop the report
        yield Line(_("keyring"), _("none: {reason}").format(reason=f"{type(exc).__name__}: {exc}"))
        return
    chosen = list(backend.backends) if isinstance(backend, chainer.ChainerBackend) else [backend]
    chosen = [b for b in chosen if not isinstance(b, fail.Keyring)]
    if chosen:
        names = ", ".join(
            _("{backend} (priority {priority})").format(
                backend=f"{type(b).__module__}.{type(b).__name__}", priority=f"{b.priority:g}"
            )
            for b in chosen
        )
        yield Line(_("keyring"), names)
    else:
        reasons = _keyring_reasons(keyring.backend.KeyringBackend, platform_name)
        yield Line(_("keyring"), _("none: {reason}").format(reason=reasons))
    found = sorted({cls.__module__.rpartition(".")[2] for cls in keyring.backend.KeyringBackend._classes})
    yield Line(_("keyring backends"), ", ".join(found) or _("none bundled"))


def _keyring_reasons(base: type, platform_name: str) -> str:
    native = _NATIVE_KEYRINGS.get("linux" if platform_name.startswith("linux") else platform_name, ())
    reasons: list[str] = []
    for cls in getattr(base, "_classes", ()):
        module = cls.__module__.rpartition(".")[2]
        if module not in native:
            continue
        try:
            cls.priority  # noqa: B018 (read for its exception)
        except Exception as exc:  # priority raises to say why a backend is unusable
            reasons.append(f"{module}: {exc}")
    if not reasons:
        return _("no usable backend for this platform")
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
        yield Line(
            "Qt", _("not available: PySide6 is not installed or cannot load ({reason})").format(reason=exc)
        )
        yield Line(_("system tray"), _("no (no Qt); the headless commands still work"))
        return
    yield Line("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})")
    yield Line(_("Qt plugins"), QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    choice = qt_platform_choice(os.environ)
    existing = QApplication.instance()
    if existing is not None:
        app = existing
    else:
        with _environ_value("QT_QPA_PLATFORM", choice):
            app = QApplication(["traywatch", "--self-check"])
    platform_name = QApplication.platformName()
    shown = platform_name
    if choice and choice != platform_name:
        shown = _("{platform} (tried: {choice})").format(platform=platform_name, choice=choice)
    yield Line(_("Qt platform"), shown)
    tray = _("yes") if QSystemTrayIcon.isSystemTrayAvailable() else _("no")
    if platform_name == "offscreen":
        tray = _("{answer} (the offscreen platform never has one)").format(answer=tray)
    yield Line(_("system tray"), tray)
    yield Line(_("Qt text"), qt_text_check())
    app.processEvents()


def qt_text_check() -> str:
    """Collation, locale case mapping and time zones: the parts of Qt that read ICU's data."""
    from PySide6.QtCore import QCollator, QLocale, QTimeZone

    problems = []
    if not QCollator(QLocale("en_US")).compare("apple", "Banana") < 0:
        problems.append(_("collation"))
    if QLocale("tr_TR").toUpper("i") != "\u0130":
        problems.append(_("case mapping"))
    if not QTimeZone(b"Europe/Berlin").isValid():
        problems.append(_("time zones"))
    locale = QLocale.system().name()
    if problems:
        return _("locale {locale}; BROKEN: {parts}").format(locale=locale, parts=", ".join(problems))
    return _("locale {locale}; ok").format(locale=locale)


def ui_lines() -> Iterator[Line]:
    """Whether the tray app's modules import: catches modules a frozen bundle forgot."""
    try:
        import traywatch.ui.app  # noqa: F401
    except Exception as exc:  # report whatever stops the UI from importing
        yield Line(_("tray UI"), _("NOT importable: {reason}").format(reason=f"{type(exc).__name__}: {exc}"))
    else:
        yield Line(_("tray UI"), _("importable"))


def autostart_lines() -> Iterator[Line]:
    """Whether the app starts at login, where that entry lives, and what it would start."""
    from traywatch.platform.autostart import AutostartError, autostart_command, pick

    entry = pick()
    try:
        state = _("enabled") if entry.is_enabled() else _("disabled")
    except AutostartError as exc:
        state = _("unknown ({reason})").format(reason=error_text(exc))
    yield Line(_("start at login"), _("{state} ({where})").format(state=state, where=entry.location))
    yield Line(_("login command"), " ".join(autostart_command()))


def collect(args: argparse.Namespace) -> list[Line]:
    """Every line of the report; a failing section becomes one line saying what failed."""
    sections: list[tuple[str, Callable[[], Iterator[Line]]]] = [
        (N_("folders"), lambda: folder_lines(args)),
        (N_("bundle"), bundle_lines),
        (N_("keyring"), keyring_lines),
        ("Qt", qt_lines),
        (N_("tray UI"), ui_lines),
        (N_("start at login"), autostart_lines),
    ]
    lines: list[Line] = []
    for name, section in sections:
        try:
            lines.extend(section())
        except Exception as exc:  # the report must finish whatever one part does
            failed = _("check failed: {reason}").format(reason=f"{type(exc).__name__}: {render(str(exc))}")
            lines.append(Line(_(name), failed))
    return lines


def format_report(lines: list[Line]) -> str:
    width = max(len(line.label) for line in lines) + 2
    body = "\n".join(f"  {(line.label + ':'):<{width}}{line.value}" for line in lines)
    return _("traywatch {version} self-check").format(version=__version__) + f"\n{body}\n"


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(format_report(collect(args)))
    sys.stdout.flush()
    return 0
