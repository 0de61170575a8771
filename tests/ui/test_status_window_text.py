"""The status window shows what a round found as plain text: a summary that carries a host name or
a Meta Status text with markup in it shows the characters, never a link or an image."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from tests.ui.helpers.rounds import snapshot
from traywatch.core.models import Verdict
from traywatch.ui.status_window import StatusWindow

MARKUP = "Your network sends Instagram to <a href='http://evil.example/'>a page</a> <img src=x>"


def test_a_summary_with_markup_is_shown_as_the_characters_it_is(qapp: object) -> None:
    window = StatusWindow()
    try:
        window.show_state(replace(snapshot(Verdict.NETWORK_LIMITED), summary=MARKUP), None)
        for label in (window.summary, window.title, window.details):
            assert label.textFormat() is Qt.TextFormat.PlainText, label.objectName()
        assert window.summary.text() == MARKUP
    finally:
        window.deleteLater()
