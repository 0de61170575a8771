"""The timeline widget: a row per element, one painted cell per band, hover details, zoom and keys.

Painting is O(cells): each band was turned into a cell once (timeline_data.build), each paint maps
the visible ones to pixels. Zooming (wheel, +/-, 0) narrows the visible range; the window then
reads finer bands for it (`wanted_detail`). Keyboard: arrows move a cursor over the cells (its
details are announced through `described` and the accessible description), Home/End jump,
Page Up/Down pan.
"""

from __future__ import annotations

import bisect
import logging

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from traywatch.core.history.uptime import Step
from traywatch.ui.history import timeline_range as ranges
from traywatch.ui.history.axis import paint_axis
from traywatch.ui.history.reader import HOUR_STEP_UP_TO_S
from traywatch.ui.history.timeline_data import Cell, Look, TimelineData, hover_text
from traywatch.ui.history.timeline_paint import paint_cell, track_colour

log = logging.getLogger(__name__)

ZOOM_STEP = 0.5


class TimelineWidget(QWidget):
    zoomed = Signal()  # the visible range changed
    described = Signal(str)  # details of the cell under the mouse or the keyboard cursor
    painted = Signal()  # the first paint since new data arrived is done

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setAccessibleName("Timeline")
        self.setAccessibleDescription(
            "Coloured bands per service over time. Arrow keys move between bands, plus and minus "
            "zoom, 0 shows the whole period, Page Up and Page Down move in time."
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.data: TimelineData | None = None
        self.detail: TimelineData | None = None
        self.view: tuple[float, float] = (0.0, 1.0)
        self.key_cursor: tuple[int, float] | None = None
        self._hover: Cell | None = None
        self._message = "Loading…"
        self._painted_once = False
        self._drag: tuple[float, float, float] | None = None  # x, view start, view end
        self._by_row: dict[int, list[Cell]] = {}  # the source's cells per row, by start
        self._starts: dict[int, list[float]] = {}
        self.side: dict[str, tuple[str, str]] = {}  # row key -> (text at the right, its tooltip)
        self.side_title = ""

    # -- data --------------------------------------------------------------------------------
    def set_data(self, data: TimelineData, keep_zoom: bool = False) -> None:
        full = (data.since, data.until)
        self.view = ranges.kept(self.view, full) if keep_zoom else full
        self.data, self.detail = data, None
        self._index()
        if self.key_cursor is not None and self.key_cursor[0] >= len(data.rows):
            self.key_cursor = None
        self._hover = None
        self._message = ""
        self._painted_once = False
        self.updateGeometry()
        self.update()

    def set_detail(self, detail: TimelineData) -> None:
        self.detail = detail
        self._index()
        self.update()

    def set_side(self, title: str, texts: dict[str, tuple[str, str]]) -> None:
        """Short texts at the right end of rows (the window's uptime per row)."""
        self.side_title, self.side = title, dict(texts)
        self.update()

    def set_message(self, text: str) -> None:
        self._message = text
        self.update()

    def _index(self) -> None:
        self._by_row, self._starts = {}, {}
        source = self.source()
        if source is None:
            return
        for cell in source.cells:
            self._by_row.setdefault(cell.row, []).append(cell)
        for row, cells in self._by_row.items():
            cells.sort(key=lambda c: c.start)
            self._starts[row] = [c.start for c in cells]

    def source(self) -> TimelineData | None:
        """The finer detail when it covers the visible range, else the whole window's cells."""
        d = self.detail
        if d is not None and d.since <= self.view[0] + 1 and d.until >= self.view[1] - 1:
            return d
        return self.data

    def _row_cells(self, row: int) -> list[Cell]:
        return self._by_row.get(row, [])

    def wanted_detail(self) -> tuple[float, float, Step] | None:
        """A finer read the zoomed view needs (hour bands inside a per-day window), if any."""
        if self.data is None or self.data.step == "hour":
            return None
        lo, hi = self.view
        if hi - lo > HOUR_STEP_UP_TO_S or self.source() is self.detail:
            return None
        return lo, hi, "hour"

    # -- geometry ----------------------------------------------------------------------------
    def _metrics(self) -> tuple[float, float, float]:
        """(label column width, axis height, row height)."""
        fm = self.fontMetrics()
        labels = [r.label for r in self.data.rows] if self.data else ["Your internet"]
        label_w = max(fm.horizontalAdvance(t) for t in labels) + 16
        return float(min(label_w, self.width() * 0.35)), fm.height() + 8.0, max(22.0, fm.height() * 1.55)

    def _side_width(self) -> float:
        if not self.side:
            return 10.0
        fm = self.fontMetrics()
        texts = [t for t, _ in self.side.values()] + [self.side_title]
        return float(max(fm.horizontalAdvance(t) for t in texts) + 20)

    def _plot(self) -> QRectF:
        label_w, axis_h, row_h = self._metrics()
        rows = len(self.data.rows) if self.data else 1
        return QRectF(label_w, axis_h, max(1.0, self.width() - label_w - self._side_width()), rows * row_h)

    def _x(self, ts: float, plot: QRectF) -> float:
        lo, hi = self.view
        return plot.left() + (ts - lo) / max(1.0, hi - lo) * plot.width()

    def _ts(self, x: float, plot: QRectF) -> float:
        lo, hi = self.view
        return lo + (x - plot.left()) / max(1.0, plot.width()) * (hi - lo)

    def sizeHint(self) -> QSize:
        _, axis_h, row_h = self._metrics()
        rows = len(self.data.rows) if self.data else 8
        return QSize(720, round(axis_h + rows * row_h + 10))

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self.sizeHint().height())

    def cell_at(self, pos: QPointF) -> Cell | None:
        source = self.source()
        if source is None:
            return None
        plot = self._plot()
        _, _, row_h = self._metrics()
        if not plot.contains(pos):
            return None
        row = int((pos.y() - plot.top()) // row_h)
        return self._find(row, self._ts(pos.x(), plot))

    def _side_at(self, pos: QPointF) -> str:
        plot = self._plot()
        _, _, row_h = self._metrics()
        if self.data is None or pos.x() <= plot.right() or not plot.top() <= pos.y() < plot.bottom():
            return ""
        row = int((pos.y() - plot.top()) // row_h)
        if not 0 <= row < len(self.data.rows):
            return ""
        return self.side.get(self.data.rows[row].key, ("", ""))[1]

    def _find(self, row: int, ts: float) -> Cell | None:
        cells = self._row_cells(row)
        i = bisect.bisect_right(self._starts.get(row, []), ts) - 1
        if 0 <= i < len(cells) and cells[i].start <= ts < cells[i].end:
            return cells[i]
        return None

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        text = pal.color(QPalette.ColorRole.Text)
        if self.data is None or not self.data.rows:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._message or "No history yet")
            painter.end()
            return
        source = self.source() or self.data
        label_w, axis_h, row_h = self._metrics()
        plot = self._plot()
        fm = self.fontMetrics()
        paint_axis(painter, plot, self.view, axis_h, fm, pal)
        # rows: label and empty track
        track_fill = track_colour(pal)
        pad = max(2.0, row_h * 0.14)
        for i, row in enumerate(source.rows):
            top = plot.top() + i * row_h
            painter.setPen(text)
            name = fm.elidedText(row.label, Qt.TextElideMode.ElideRight, round(label_w - 12))
            painter.drawText(QRectF(4, top, label_w - 8, row_h), Qt.AlignmentFlag.AlignVCenter, name)
            painter.fillRect(QRectF(plot.left(), top + pad, plot.width(), row_h - 2 * pad), track_fill)
            side = self.side.get(row.key)
            if side is not None:
                where = QRectF(plot.right(), top, self.width() - plot.right() - 6, row_h)
                painter.drawText(where, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, side[0])
        if self.side_title:
            where = QRectF(plot.right(), 2, self.width() - plot.right() - 6, axis_h - 4)
            painter.setPen(text)
            painter.drawText(
                where, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, self.side_title
            )
        # cells: neighbours with the same look are drawn as one run (hatching stays continuous)
        lo, hi = self.view
        for row_index, cells in self._by_row.items():
            top = plot.top() + row_index * row_h + pad
            run: tuple[float, float, Look] | None = None
            for cell in cells:
                if cell.end <= lo or cell.start >= hi:
                    continue
                x0 = round(max(self._x(cell.start, plot), plot.left()))
                x1 = round(min(self._x(cell.end, plot), plot.right()))
                if run is not None and run[2] is cell.look and x0 <= run[1] + 0.5:
                    run = (run[0], max(run[1], x1), run[2])
                    continue
                if run is not None:
                    self._paint_run(painter, run, top, row_h - 2 * pad)
                run = (x0, max(x1, x0 + 1), cell.look)
            if run is not None:
                self._paint_run(painter, run, top, row_h - 2 * pad)
        # hover and keyboard cursor
        if self._hover is not None:
            self._outline(painter, self._hover, plot, row_h, pad, QPen(text, 1.0))
        current = self.current_cell()
        if current is not None and self.hasFocus():
            self._outline(
                painter, current, plot, row_h, pad, QPen(pal.color(QPalette.ColorRole.Highlight), 2.5)
            )
        painter.end()
        if not self._painted_once:
            self._painted_once = True
            self.painted.emit()

    @staticmethod
    def _paint_run(painter: QPainter, run: tuple[float, float, Look], top: float, height: float) -> None:
        x0, x1, look = run
        paint_cell(painter, QRectF(x0, top, max(1.0, x1 - x0), height), look)

    def _outline(
        self, painter: QPainter, cell: Cell, plot: QRectF, row_h: float, pad: float, pen: QPen
    ) -> None:
        x0 = max(self._x(cell.start, plot), plot.left())
        x1 = min(self._x(cell.end, plot), plot.right())
        top = plot.top() + cell.row * row_h + pad
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(x0 - 1, top - 1, max(3.0, x1 - x0 + 2), row_h - 2 * pad + 2))

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
    def current_cell(self) -> Cell | None:
        if self.key_cursor is None:
            return None
        return self._find(*self.key_cursor)

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

    def point_of(self, row: int, ts: float) -> QPoint:
        """Widget coordinates of a moment in a row (for tests and tooltips)."""
        plot = self._plot()
        _, _, row_h = self._metrics()
        return QPoint(round(self._x(ts, plot)), round(plot.top() + (row + 0.5) * row_h))
