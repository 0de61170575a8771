"""A test-only language: every msgid said in [brackets], so a test can tell translated words
(inside brackets) from words that never went through a catalogue (outside them)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.support import brackets
from traywatch.i18n import set_language

LANG = "es"  # any language traywatch offers: the brackets stand in for its catalogue


@pytest.fixture
def bracketed(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The bracket language installed and in use; English again afterwards."""
    brackets.install(monkeypatch)
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
