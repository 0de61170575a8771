"""The timeline's legend: each look's swatch (drawn exactly as the timeline draws it) and its name."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from traywatch.i18n import _
from traywatch.ui.history.timeline_data import LEGEND, LOOK_LABELS, Look
from traywatch.ui.history.timeline_paint import swatch


class Legend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        self.setAccessibleName(_("Legend"))
        self.setAccessibleDescription(
            _(
                "Working: thin green bar. Slow: taller amber bar. Down: full red block. "
                "Your internet down: purple hatching. Your network limited: teal cross-hatching. "
                "Unknown: hollow grey outline. Meta Status reported a problem: striped orange bar. "
                "Not watching: empty track."
            )
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._swatches: list[tuple[Look, QLabel]] = []
        for look in LEGEND:
            icon = QLabel()
            icon.setAccessibleName(_(LOOK_LABELS[look]))
            text = QLabel(_(LOOK_LABELS[look]))
            layout.addWidget(icon)
            layout.addWidget(text)
            layout.addSpacing(8)
            self._swatches.append((look, icon))
        layout.addStretch(1)
        self._render()

    def _render(self) -> None:
        size = max(10, self.fontMetrics().height() - 2)
        scale = self.devicePixelRatioF()
        for look, icon in self._swatches:
            icon.setPixmap(swatch(look, size, scale, self.palette()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._render()
        super().changeEvent(event)
