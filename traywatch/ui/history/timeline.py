"""The timeline widget: the timeline's picture (timeline_view) with hover details, zoom and keys.

Zooming (wheel, +/-, 0) narrows the visible range; the window then reads finer bands for it
(`wanted_detail`). Keyboard: arrows move a cursor over the cells (its details are announced
through `described` and the accessible description), Home/End jump, Page Up/Down pan.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QFocusEvent, QHelpEvent, QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QToolTip, QWidget

from traywatch.i18n import _
from traywatch.ui.history import timeline_range as ranges
from traywatch.ui.history.timeline_data import Cell, hover_text
from traywatch.ui.history.timeline_view import TimelineView

log = logging.getLogger(__name__)

ZOOM_STEP = 0.5


class TimelineWidget(TimelineView):
    zoomed = Signal()  # the visible range changed
    described = Signal(str)  # details of the cell under the mouse or the keyboard cursor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setAccessibleName(_("Timeline"))
        self.setAccessibleDescription(
            _(
                "Coloured bands per service over time. Arrow keys move between bands, plus and minus "
                "zoom, 0 shows the whole period, Page Up and Page Down move in time."
            )
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self._drag: tuple[float, float, float] | None = None  # x, view start, view end

    # -- zoom and pan --------------------------------------------------------------------------
    def zoom(self, factor: float, anchor: float | None = None) -> None:
        if self.data is not None:
            self._set_view(ranges.zoom(self.view, (self.data.since, self.data.until), factor, anchor))

    def pan(self, fraction: float) -> None:
        if self.data is not None:
            self._set_view(ranges.pan(self.view, (self.data.since, self.data.until), fraction))

    def reset_zoom(self) -> None:
        if self.data is not None:
            self._set_view((self.data.since, self.data.until))

    def _set_view(self, view: ranges.View) -> None:
        if view == self.view:
            return
        self.view = view
        self._index()
        self._hover = None
        self.update()
        self.zoomed.emit()

    # -- keyboard ------------------------------------------------------------------------------
    def _move_cursor(self, cell: Cell | None) -> None:
        if cell is None:
            return
        self.key_cursor = (cell.row, (cell.start + cell.end) / 2)
        lo, hi = self.view
        if cell.start < lo or cell.end > hi:  # keep it in sight
            assert self.data is not None
            width = hi - lo
            self._set_view(
                ranges.clamp(
                    cell.start - width / 2, cell.start + width / 2, (self.data.since, self.data.until)
                )
            )
        self._announce(cell)
        self.update()

    def _announce(self, cell: Cell | None) -> None:
        source = self.source()
        text = hover_text(source, cell) if cell is not None and source is not None else ""
        self.setAccessibleDescription(text)
        self.described.emit(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.data is None:
            super().keyPressEvent(event)
            return
        if self.key_cursor is None and key in (
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
        ):
            cells = self._row_cells(0)
            self._move_cursor(cells[-1] if cells else None)
            return
        row, ts = self.key_cursor or (0, self.view[1] - 1)
        cells = self._row_cells(row)
        current = self._find(row, ts)
        index = cells.index(current) if current in cells else len(cells) - 1
        if key == Qt.Key.Key_Left and cells:
            self._move_cursor(cells[max(0, index - 1)])
        elif key == Qt.Key.Key_Right and cells:
            self._move_cursor(cells[min(len(cells) - 1, index + 1)])
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            rows = len(self.data.rows)
            new_row = (row + (-1 if key == Qt.Key.Key_Up else 1)) % rows
            self.key_cursor = (new_row, ts)
            self._announce(self._find(new_row, ts))
            self.update()
        elif key == Qt.Key.Key_Home and cells:
            self._move_cursor(cells[0])
        elif key == Qt.Key.Key_End and cells:
            self._move_cursor(cells[-1])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_STEP, ts if self.key_cursor else None)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom(1 / ZOOM_STEP, ts if self.key_cursor else None)
        elif key == Qt.Key.Key_0:
            self.reset_zoom()
        elif key == Qt.Key.Key_PageUp:
            self.pan(-0.5)
        elif key == Qt.Key.Key_PageDown:
            self.pan(0.5)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._announce(self.current_cell())
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    # -- mouse ---------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(QPointF(event.pos()))
            source = self.source()
            side = self._side_at(QPointF(event.pos()))
            if side:
                QToolTip.showText(event.globalPos(), side, self)
            elif cell is not None and source is not None:
                QToolTip.showText(event.globalPos(), hover_text(source, cell).replace(" · ", "\n"), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._drag is not None:
            x, lo, hi = self._drag
            plot = self._plot()
            if self.data is not None:
                shift = (x - pos.x()) / max(1.0, plot.width()) * (hi - lo)
                self._set_view(ranges.clamp(lo + shift, hi + shift, (self.data.since, self.data.until)))
            return
        cell = self.cell_at(pos)
        if cell != self._hover:
            self._hover = cell
            self._announce(cell)
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            cell = self.cell_at(event.position())
            if cell is not None:
                self.key_cursor = (cell.row, (cell.start + cell.end) / 2)
            self._drag = (event.position().x(), *self.view)
            self.update()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if not steps or self.data is None:
            event.ignore()
            return
        anchor = self._ts(event.position().x(), self._plot())
        self.zoom(0.8**steps, anchor)
        event.accept()
