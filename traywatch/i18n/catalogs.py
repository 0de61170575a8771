"""The gettext catalogues shipped in the package, and the language in use now."""

from __future__ import annotations

import gettext
import threading
from functools import cache
from pathlib import Path

from traywatch.i18n.languages import DEFAULT, LANGUAGES

DOMAIN = "traywatch"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current = DEFAULT
_lock = threading.Lock()


def set_language(code: str) -> str:
    """Speak this language from now on (an unknown code falls back to English); returns it."""
    global _current
    chosen = code if code in LANGUAGES else DEFAULT
    with _lock:
        _current = chosen
    return chosen


def current_language() -> str:
    return _current


@cache
def translation(code: str) -> gettext.NullTranslations:
    """The catalogue for a language; English and a missing catalogue say the English text."""
    if code == DEFAULT or code not in LANGUAGES:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code], fallback=True)


def _(text: str) -> str:
    """The text in the language in use."""
    return translation(_current).gettext(text)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translation(_current).ngettext(singular, plural, n)


def pgettext(context: str, text: str) -> str:
    return translation(_current).pgettext(context, text)


def N_(text: str) -> str:
    """Marks text for translation where it is declared; `_()` translates it where it is shown."""
    return text
