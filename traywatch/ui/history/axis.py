"""The timeline's time axis: ticks at local hours or days, as many as fit without crowding, drawn
as labels above and dotted lines through the rows."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QLocale, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPalette, QPen

HOUR = 3600
DAY = 86400
_STEPS = (HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY)
_MAX_TICKS = 400


def tick_step(span_s: float, width_px: float, min_gap_px: float) -> int:
    """The smallest step that keeps ticks at least `min_gap_px` apart."""
    if span_s <= 0 or width_px <= 0:
        return _STEPS[-1]
    for step in _STEPS:
        if step / span_s * width_px >= min_gap_px:
            return step
    return _STEPS[-1]


def _label(moment: datetime, step: int) -> str:
    """'14:00', 'Wed 28' or '28 Feb', day and month names in the language in use."""
    if step < DAY and moment.hour != 0:
        return f"{moment:%H:%M}"
    return _day(moment, "ddd dd" if step < 7 * DAY else "dd MMM")


def _day(moment: datetime, pattern: str) -> str:
    return QLocale().toString(QDate(moment.year, moment.month, moment.day), pattern)


def ticks(since: float, until: float, step: int) -> list[tuple[float, str]]:
    """(UTC epoch seconds, label) at local hour multiples or local midnights within [since, until]."""
    if until <= since:
        return []
    start = datetime.fromtimestamp(since)  # naive local time
    if step < DAY:
        hours = step // HOUR
        moment = start.replace(minute=0, second=0, microsecond=0)
        while moment.timestamp() < since or moment.hour % hours:
            moment += timedelta(hours=1)
        advance = timedelta(hours=hours)
    else:
        moment = start.replace(hour=0, minute=0, second=0, microsecond=0)
        if moment.timestamp() < since:
            moment += timedelta(days=1)
        if step >= 7 * DAY:
            while moment.weekday() != 0:  # weeks start on Monday
                moment += timedelta(days=1)
        advance = timedelta(days=step // DAY)
    out: list[tuple[float, str]] = []
    while len(out) < _MAX_TICKS:
        ts = moment.timestamp()
        if ts > until:
            break
        out.append((ts, _label(moment, step)))
        moment += advance
        if step < DAY:  # keep hour multiples across a DST change
            moment = moment.replace(minute=0)
    return out


def paint_axis(
    painter: QPainter, plot: QRectF, view: tuple[float, float], axis_h: float, fm: QFontMetrics, pal: QPalette
) -> None:
    """Labels above `plot` and dotted lines through it, for the visible range `view`."""
    lo, hi = view
    step = tick_step(
        hi - lo, plot.width(), fm.horizontalAdvance(_day(datetime(2026, 1, 28), "ddd dd") + " ") + 14
    )
    grid = QPen(pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text), 1.0)
    grid.setStyle(Qt.PenStyle.DotLine)
    text = pal.color(QPalette.ColorRole.Text)
    for ts, label in ticks(lo, hi, step):
        x = round(plot.left() + (ts - lo) / max(1.0, hi - lo) * plot.width()) + 0.5
        painter.setPen(grid)
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        if x + 3 + fm.horizontalAdvance(label) <= plot.right():
            painter.setPen(text)
            painter.drawText(QRectF(x + 3, 2, 200, axis_h - 4), Qt.AlignmentFlag.AlignVCenter, label)
