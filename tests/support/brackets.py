"""A test-only language that says every text it is asked for between brackets ("[Check now]"),
so a test can tell translated words (inside) from words that never went through a catalogue
(outside). Installing it patches the one place every lookup goes through: `catalogs.translation`."""

from __future__ import annotations

import gettext
from collections.abc import Iterator

import pytest

from traywatch.i18n import Message, catalogs
from traywatch.i18n.message import Names, Parts


class Brackets(gettext.NullTranslations):
    """Says every msgid between `open` and `close` (placeholders kept, so `.format` still works)."""

    def __init__(self, open: str = "[", close: str = "]") -> None:
        super().__init__()
        self.open, self.close = open, close

    def gettext(self, message: str) -> str:
        return f"{self.open}{message}{self.close}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)


def install(monkeypatch: pytest.MonkeyPatch, language: gettext.NullTranslations | None = None) -> None:
    """Every language but English speaks `language` (the bracket language by default)."""
    spoken = language if language is not None else Brackets()

    def translation(code: str) -> gettext.NullTranslations:
        return gettext.NullTranslations() if code == "en" else spoken

    monkeypatch.setattr(catalogs, "translation", translation)


def verbatim(value: object) -> Iterator[str]:
    """The parameters a message says as they are (names, hosts, Meta's words, technical
    evidence), however deep in the message: the words no catalogue translates."""
    if isinstance(value, Message):
        for param in value.params.values():
            yield from verbatim(param)
    elif isinstance(value, (Parts, Names)):
        for part in value:
            yield from verbatim(part)
    elif isinstance(value, str):
        yield value
