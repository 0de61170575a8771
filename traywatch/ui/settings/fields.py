"""Small building blocks shared by the settings pages: named controls and the reason labels."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from traywatch.core.settings.form import Problem
from traywatch.i18n import render

ERROR_ON_LIGHT, ERROR_ON_DARK = "#b3261e", "#ff8a80"  # both readable (contrast >= 4.5:1)


def named(widget: QWidget, object_name: str, accessible_name: str, tip: str = "") -> QWidget:
    """Give a control the names a screen reader and the tests use (and an optional tooltip)."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    if tip:
        widget.setToolTip(tip)
        widget.setAccessibleDescription(tip)
    return widget


def spin(object_name: str, accessible_name: str, low: int, high: int, suffix: str) -> QSpinBox:
    """A number field whose range is wider than what is valid, so a wrong value gets a reason."""
    box = QSpinBox()
    named(box, object_name, accessible_name)
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setAccelerated(True)
    box.setKeyboardTracking(True)
    box.setMinimumWidth(box.fontMetrics().horizontalAdvance(f"{high}{suffix}") + 48)
    return box


def field_row(field: QWidget, hint: str = "", problem: QLabel | None = None) -> QWidget:
    """A field at its natural width, a short grey hint beside it ("at least 10 s") and, under
    it, the reason it is refused (hidden while the value is fine, taking no room)."""
    row = QWidget()
    column = QVBoxLayout(row)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    line = QHBoxLayout()
    line.addWidget(field)
    if hint:
        label = QLabel(hint)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        line.addWidget(label)
    line.addStretch(1)
    column.addLayout(line)
    if problem is not None:
        column.addWidget(problem)
    return row


def buddy(text: str, field: QWidget) -> QLabel:
    """A form label whose &-shortcut moves the focus to `field`."""
    label = QLabel(text)
    label.setBuddy(field)
    return label


def note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class ProblemLabel(QLabel):
    """The reason a field's value is refused, shown under it (empty and hidden when fine)."""

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setObjectName(f"problem_{field}")
        self.setWordWrap(True)
        self._style()
        self.hide()

    def _style(self) -> None:
        """Red that reads on the current background (the palette follows light and dark themes)."""
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        colour = QColor(ERROR_ON_DARK if dark else ERROR_ON_LIGHT)
        palette = self.palette()
        if palette.color(QPalette.ColorRole.WindowText) != colour:  # no loop of palette changes
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            self.setPalette(palette)
        font = self.font()
        if not font.bold():
            font.setBold(True)
            self.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._style()
        super().changeEvent(event)

    def show_problems(self, problems: Iterable[Problem]) -> None:
        messages = [render(p.message) for p in problems if p.field == self.field]
        self.setText("⚠ " + " ".join(messages) if messages else "")
        self.setVisible(bool(messages))
