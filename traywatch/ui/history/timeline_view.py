"""The timeline's picture: a row per element with one painted cell per band, the side texts, the
hover and keyboard-cursor outlines, and the geometry that maps moments to points and points to cells.

Painting is O(cells): each band was turned into a cell once (timeline_data.build), each paint maps
the visible ones to pixels. `TimelineWidget` (timeline) adds zoom, pan, keys and the mouse.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from traywatch.core.history.uptime import Step
from traywatch.i18n import _
from traywatch.ui.history import timeline_range as ranges
from traywatch.ui.history.axis import paint_axis
from traywatch.ui.history.reader import HOUR_STEP_UP_TO_S
from traywatch.ui.history.timeline_data import Cell, Look, TimelineData
from traywatch.ui.history.timeline_paint import paint_cell, track_colour


class TimelineView(QWidget):
    """Shows a TimelineData over the visible range `view`; knows which cell is where."""

    painted = Signal()  # the first paint since new data arrived is done

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.data: TimelineData | None = None
        self.detail: TimelineData | None = None
        self.view: tuple[float, float] = (0.0, 1.0)
        self.key_cursor: tuple[int, float] | None = None
        self._hover: Cell | None = None
        self._message = _("Loading…")
        self._painted_once = False
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
        labels = [r.label for r in self.data.rows] if self.data else [_("Your internet")]
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

    def current_cell(self) -> Cell | None:
        if self.key_cursor is None:
            return None
        return self._find(*self.key_cursor)

    def point_of(self, row: int, ts: float) -> QPoint:
        """Widget coordinates of a moment in a row (for tests and tooltips)."""
        plot = self._plot()
        _, _, row_h = self._metrics()
        return QPoint(round(self._x(ts, plot)), round(plot.top() + (row + 0.5) * row_h))

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        text = pal.color(QPalette.ColorRole.Text)
        if self.data is None or not self.data.rows:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._message or _("No history yet"))
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
