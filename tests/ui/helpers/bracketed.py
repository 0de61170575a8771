"""A test-only translation that brackets every text it is asked for ("[[Check now]]"), and a walk
over everything a window shows, to find what is still English outside the brackets (a text that
never went through the language layer)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from tests.support import brackets


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every language but English says the texts in double brackets ("[[Check now]]")."""
    brackets.install(monkeypatch, brackets.Brackets("[[", "]]"))


_INNER = re.compile(r"\[\[(?!\[)(?:(?!\[\[|\]\]).)*\]\]", re.S)
_WORD = re.compile(r"[A-Za-z]{3,}")


def outside(text: str) -> str:
    """What is left of a text once every bracketed (translated) part is taken out."""
    while True:
        stripped = _INNER.sub(" ", text)
        if stripped == text:
            return stripped
        text = stripped


def english(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """English words outside the brackets (names, URLs and paths in `allowed` are fine)."""
    rest = outside(text)
    for item in sorted(allowed, key=len, reverse=True):
        rest = rest.replace(item, " ")
    rest = re.sub(r"\b\w+://\S+", " ", rest)  # URLs
    return _WORD.findall(rest)


# Parts Qt makes and names itself (translated by Qt's own catalogue, qtbase_<lang>.qm).
QT_OWN = {"ScrollLeftButton", "ScrollRightButton", "qt_calendar_prevmonth", "qt_calendar_nextmonth"}


def shown_texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a window and its children show or say to a screen reader."""
    widgets = [window, *window.findChildren(QWidget)]
    for w in widgets:
        if w.objectName() in QT_OWN:
            continue
        where = f"{type(w).__name__}:{w.objectName()}"
        if w.isWindow():
            yield f"{where} title", w.windowTitle()
        yield f"{where} tooltip", w.toolTip()
        yield f"{where} accessible name", w.accessibleName()
        yield f"{where} accessible description", w.accessibleDescription()
        if isinstance(w, QLabel):
            yield f"{where} text", w.text()
        if isinstance(w, QAbstractButton):
            yield f"{where} text", w.text()
        if isinstance(w, QGroupBox):
            yield f"{where} title", w.title()
        if isinstance(w, QLineEdit):
            yield f"{where} placeholder", w.placeholderText()
        if isinstance(w, QAbstractSpinBox):
            yield f"{where} suffix", getattr(w, "suffix", lambda: "")()
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield f"{where} tab {i}", w.tabText(i)
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{where} item {i}", w.itemText(i)
        if isinstance(w, QTextEdit):
            yield f"{where} text", w.toPlainText()
        if isinstance(w, QTableView) and w.model() is not None:
            model = w.model()
            for col in range(model.columnCount(QModelIndex())):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.headerData(col, Qt.Orientation.Horizontal, role)
                    yield f"{where} header {col}", str(value or "")
        if isinstance(w, QMenu):
            yield from menu_texts(w, where)
        for action in w.actions():
            yield f"{where} action", action.text()


def menu_texts(menu: QMenu, where: str = "menu") -> Iterator[tuple[str, str]]:
    for action in menu.actions():
        yield f"{where} {action.objectName()}", action.text()
        yield f"{where} {action.objectName()} tooltip", action.toolTip()
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from menu_texts(sub, f"{where} > {action.objectName()}")


def untranslated(texts: Iterable[tuple[str, str]], allowed: Iterable[str] = ()) -> list[str]:
    """'where: text' for every text with English outside the brackets."""
    allowed = list(allowed)
    return [f"{where}: {text!r}" for where, text in texts if text and english(text, allowed)]


__all__ = ["english", "install", "outside", "shown_texts", "untranslated"]
