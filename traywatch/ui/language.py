"""The app's language in Qt: the gettext language, Qt's own translations (standard buttons,
dialogs), and the default locale, set at start-up and switched live from Settings."""

from __future__ import annotations

import logging
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from traywatch.i18n import chosen_language, current_language, set_language

log = logging.getLogger(__name__)

_installed: QTranslator | None = None


def qt_translations_dirs() -> list[str]:
    """Where Qt's own catalogues may be: Qt's configured folder, then the PySide6 package's (the
    two wheel layouts, also inside a PyInstaller bundle, which keeps qtbase_<lang>.qm)."""
    package = Path(PySide6.__file__).resolve().parent
    found = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)]
    found += [str(package / "Qt" / "translations"), str(package / "translations")]
    return list(dict.fromkeys(found))


def qt_locale(code: str) -> QLocale:
    """'pt_BR' -> QLocale('pt_BR'); 'hi' -> Hindi (India)."""
    return QLocale(code)


def apply_language(setting: str | None) -> str:
    """Speak the language `[ui] language` asks for ("auto": the system's) from now on, in our
    texts and in Qt's own; returns its code. Qt has no translation of its few own texts for some
    languages (Indonesian, Hindi): those stay English there (our dialogs name their buttons)."""
    code = set_language(chosen_language(setting))
    locale = qt_locale(code)
    QLocale.setDefault(locale)
    _install_qt_translator(code, locale)
    app = QCoreApplication.instance()
    if isinstance(app, QApplication):
        app.setLayoutDirection(locale.textDirection())
    log.info("language: %s", code)
    return code


def qt_translator() -> QTranslator | None:
    """The Qt translator in use (None for English or a language Qt does not ship)."""
    return _installed


def _install_qt_translator(code: str, locale: QLocale) -> None:
    global _installed
    app = QCoreApplication.instance()
    if app is None:
        return
    if _installed is not None:
        QCoreApplication.removeTranslator(_installed)
        _installed = None
    if code == "en":
        return
    translator = QTranslator(app)
    if any(translator.load(locale, "qtbase", "_", folder) for folder in qt_translations_dirs()):
        QCoreApplication.installTranslator(translator)
        _installed = translator
        log.debug("Qt's own texts from %s", translator.filePath())
    else:
        log.info("Qt has no translation of its own texts for %s: they stay English", code)


__all__ = ["apply_language", "current_language", "qt_translations_dirs", "qt_translator"]
