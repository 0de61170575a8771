"""A test-only language: every msgid said in [brackets], so a test can tell translated words
(inside brackets) from words that never went through a catalogue (outside them)."""

from __future__ import annotations

import gettext
import importlib
import re
from collections.abc import Iterator

import pytest

from traywatch.i18n import catalogs, set_language

# the module (traywatch.i18n.render is also the name of the function the package exports)
renderer = importlib.import_module("traywatch.i18n.render")

LANG = "es"  # any language traywatch offers: the brackets stand in for its catalogue


class Brackets(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"[{message}]"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"[{msgid1 if n == 1 else msgid2}]"

    def pgettext(self, context: str, message: str) -> str:
        return f"[{message}]"


def _translation(code: str) -> gettext.NullTranslations:
    return gettext.NullTranslations() if code == "en" else Brackets()


@pytest.fixture
def bracketed(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The bracket language installed and in use; English again afterwards."""
    monkeypatch.setattr(catalogs, "translation", _translation)
    monkeypatch.setattr(renderer, "translation", _translation)  # the renderer's own reference
    set_language(LANG)
    try:
        yield LANG
    finally:
        set_language("en")


_INNERMOST = re.compile(r"\[[^\[\]]*\]")


def outside_brackets(text: str) -> str:
    """The text with every (nested) bracketed part taken out."""
    while True:
        shorter = _INNERMOST.sub(" ", text)
        if shorter == text:
            return text
        text = shorter
