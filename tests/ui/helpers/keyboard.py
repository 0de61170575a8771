"""Keyboard-only and screen-reader checks shared by the window tests: which controls a keyboard
user must reach, walking the real Tab chain, and a dark palette."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

CONTROLS = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QAbstractItemView, QTabBar, QTextEdit)


def _inside_composite(widget: QWidget, root: QWidget) -> bool:
    """Parts of a composite control (a spin box's line edit, a combo's list) are not controls."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            return True
        parent = parent.parentWidget()
    return False


def controls(root: QWidget) -> list[QWidget]:
    """Every visible, enabled control a keyboard user must be able to reach."""
    found = []
    for widget in root.findChildren(QWidget):
        tab_focus = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        is_control = isinstance(widget, CONTROLS) or widget.objectName() == "timeline"
        if (
            is_control
            and tab_focus
            and widget.isVisibleTo(root)
            and widget.isEnabled()
            and not _inside_composite(widget, root)
        ):
            found.append(widget)
    return found


def unnamed(root: QWidget) -> list[str]:
    """Controls without an accessible name (what a screen reader would announce as nothing)."""
    return [f"{type(w).__name__} {w.objectName()!r}" for w in controls(root) if not w.accessibleName()]


def tab_chain(qtbot: QtBot, root: QWidget, start: QWidget, limit: int = 120) -> list[QWidget]:
    """Press Tab from `start` until focus comes back to it; the widgets that had focus."""
    root.activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=3000)
    seen: list[QWidget] = [start]
    for _ in range(limit):
        current = QApplication.focusWidget()
        assert current is not None
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        after = QApplication.focusWidget()
        if after is start:
            return seen
        assert after is not None and after is not current, f"Tab is stuck in {current!r}"
        seen.append(after)
    raise AssertionError("Tab never came back to where it started")


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#181a1b"),
        (QPalette.ColorRole.AlternateBase, "#26282b"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#2d2f31"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
        (QPalette.ColorRole.Highlight, "#8ab4f8"),
        (QPalette.ColorRole.HighlightedText, "#202124"),
        (QPalette.ColorRole.PlaceholderText, "#9aa0a6"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def lum(c: QColor) -> float:
        def chan(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * chan(c.redF()) + 0.7152 * chan(c.greenF()) + 0.0722 * chan(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
